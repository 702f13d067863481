package dev.tickeretl.server;

/** A request the server answers with a 4xx (or 503) and a JSON error naming the field at fault. */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String field;

    ApiException(int status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    /** 400: {@code field} (a query parameter or header) is missing or wrong; the message starts with its name. */
    static ApiException badRequest(String field, String message) {
        return new ApiException(400, field, field + ": " + message);
    }

    int status() {
        return status;
    }

    /** The parameter or header at fault, or null. */
    String field() {
        return field;
    }
}
