// JShell start-up for ticker-etl: `./ticker-etl jshell` loads this after JShell's default imports.
import dev.tickeretl.*;
import java.net.URI;
import java.time.*;
