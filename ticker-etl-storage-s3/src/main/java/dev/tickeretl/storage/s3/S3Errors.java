package dev.tickeretl.storage.s3;

import dev.tickeretl.StoreException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns SDK failures into one-line {@link StoreException}s a user can act on: the bucket that does not exist, the
 * operation that was denied, the endpoint that cannot be reached. Messages never carry credentials: they are built
 * from the status, the S3 error code and our own names, not from request headers.
 */
final class S3Errors {

    private final String bucket;
    private final String endpoint;
    private final String region;

    S3Errors(String bucket, String endpoint, String region) {
        this.bucket = bucket;
        this.endpoint = endpoint;
        this.region = region;
    }

    /**
     * @param operation the S3 API name ({@code HeadBucket}, {@code GetObject}, ...)
     * @param target    what it acted on, for the message: {@code bucket 'x'} or {@code s3://x/key}
     */
    StoreException translate(SdkException e, String operation, String target) {
        if (e instanceof S3Exception s3) {
            return fromService(s3, operation, target);
        }
        IOException io = ioCause(e);
        if (io != null) {
            return new StoreException("cannot reach S3 endpoint " + endpoint + ": " + describe(io)
                    + " (" + operation + " on " + target + attempts(e, ", ") + ")", e);
        }
        return new StoreException("S3 " + operation + " on " + target + " failed: " + firstLine(e.getMessage()), e);
    }

    private StoreException fromService(S3Exception e, String operation, String target) {
        int status = e.statusCode();
        String code = errorCode(e);
        if (status == 404 && ("NoSuchBucket".equals(code) || operation.equals("HeadBucket"))) {
            return new StoreException("bucket '" + bucket + "' does not exist (at " + endpoint + ")", e);
        }
        if (status == 403) {
            // HEAD answers carry no body, so HeadBucket has no error code to show.
            return new StoreException("access denied for " + operation + " on " + target
                    + (code == null ? "" : ": " + code) + " (check credentials)", e);
        }
        String bucketRegion = e.awsErrorDetails() == null ? null : e.awsErrorDetails().sdkHttpResponse()
                .firstMatchingHeader("x-amz-bucket-region").orElse(null);
        if ((status == 301 || status == 400) && bucketRegion != null && !bucketRegion.equals(region)) {
            return new StoreException("bucket '" + bucket + "' is in region " + bucketRegion + ", not " + region
                    + " (set " + S3StoreProvider.REGION + " " + bucketRegion + ")", e);
        }
        String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        return new StoreException("S3 " + operation + " on " + target + " failed: HTTP " + status
                + (code == null ? "" : " " + code) + (message == null ? "" : " (" + firstLine(message) + ")")
                + attempts(e, ", "), e);
    }

    private static String errorCode(S3Exception e) {
        AwsErrorDetails details = e.awsErrorDetails();
        String code = details == null ? null : details.errorCode();
        return code == null || code.isBlank() ? null : code;
    }

    private static IOException ioCause(Throwable e) {
        if (!(e instanceof SdkClientException)) {
            return null;
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return io;
            }
        }
        return null;
    }

    private static String describe(IOException io) {
        String kind;
        if (io instanceof ConnectException || io instanceof NoRouteToHostException) {
            kind = "connection failed";
        } else if (io instanceof UnknownHostException) {
            kind = "unknown host";
        } else if (io instanceof SocketTimeoutException) {
            kind = "timed out";
        } else if (io instanceof SSLException) {
            kind = "TLS failed";
        } else {
            kind = io.getClass().getSimpleName();
        }
        return io.getMessage() == null ? kind : kind + ": " + firstLine(io.getMessage());
    }

    private static String attempts(SdkException e, String separator) {
        Integer n = e.numAttempts();
        return n != null && n > 1 ? separator + "after " + n + " attempts" : "";
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "(no message)";
        }
        int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)).trim();
    }
}
