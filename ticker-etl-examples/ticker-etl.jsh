// JShell start-up for ticker-etl: `./ticker-etl jshell` loads this after JShell's default imports.
import dev.tickeretl.*;
import dev.tickeretl.server.*;
import java.net.URI;
import java.nio.file.Path;
import java.time.*;
import java.util.Map;
