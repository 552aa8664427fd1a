package org.ringscope.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.cli.AdminTool;
import org.neo4j.cli.ExecutionContext;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.kernel.api.procedure.GlobalProcedures;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * Runs Neo4j 5 Community embedded in this JVM for ringscope.
 *
 * <p>Why a launcher of our own: the project must start a real Neo4j on a machine with
 * no Docker and no Neo4j installed, from artifacts on Maven Central only. Bolt listens
 * on 127.0.0.1 alone and authentication is always on; the password is read from a file
 * (mode 0600, written by the Python side) so it never appears on a command line.
 *
 * <p>Usage: {@code Launcher --home DIR --port N --password-file FILE [--pagecache BYTES]
 * [--plugin-dir DIR --unrestricted-procedures PATTERNS]}. The last two are for an optional
 * plug-in (Graph Data Science, see graph/gds): Neo4j finds procedures only in jars under its
 * plugin directory (extensions it finds on the classpath, so those jars must be on both), and
 * procedures matching PATTERNS (comma-separated, e.g. {@code gds.*}) may use its internal APIs.
 * SIGTERM runs the shutdown hook, which closes the databases cleanly; after a SIGKILL
 * Neo4j's own recovery replays the transaction log on the next start.
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        Path home = Path.of(require(options, "--home")).toAbsolutePath();
        int port = Integer.parseInt(require(options, "--port"));
        Path passwordFile = Path.of(require(options, "--password-file"));
        long pagecache = Long.parseLong(options.getOrDefault("--pagecache", String.valueOf(512L << 20)));

        Path conf = home.resolve("conf");
        Files.createDirectories(conf);
        Path confFile = conf.resolve("neo4j.conf");
        if (!Files.exists(confFile)) {
            Files.writeString(confFile, "# Overrides for ringscope's embedded Neo4j (standard neo4j.conf keys).\n",
                    StandardCharsets.UTF_8);
        }
        setInitialPasswordOnce(home, conf, passwordFile);

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .loadPropertiesFromFile(confFile)
                .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress("127.0.0.1"))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pagecache)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                // Bolt waits 5 s twice on shutdown for clients to drain; ours are told to stop,
                // so one second each keeps `ringscope server stop` quick.
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1));
        if (options.containsKey("--plugin-dir")) {
            builder.setConfig(GraphDatabaseSettings.plugin_dir, Path.of(options.get("--plugin-dir")).toAbsolutePath());
        }
        String unrestricted = options.get("--unrestricted-procedures");
        if (unrestricted != null) {
            // Only when asked, so a neo4j.conf value is otherwise left as the user wrote it.
            builder.setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of(unrestricted.split(",")));
        }
        DatabaseManagementService service = builder.build();
        // The loader's bulk writer (LinkedNodeWriter); procedures are global to the DBMS, so
        // the system database's registry serves every database.
        ((GraphDatabaseAPI) service.database("system")).getDependencyResolver()
                .resolveDependency(GlobalProcedures.class).registerProcedure(LinkedNodeWriter.class);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("ringscope-neo4j stopping");
            service.shutdown();
            System.out.println("ringscope-neo4j stopped");
            stopped.countDown();
        }, "ringscope-shutdown"));

        System.out.println("ringscope-neo4j ready bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }

    /** Sets the password before the first start, so Bolt never accepts the default one. */
    private static void setInitialPasswordOnce(Path home, Path conf, Path passwordFile) throws IOException {
        if (Files.exists(home.resolve("data").resolve("dbms").resolve("auth.ini"))) {
            return;
        }
        String password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
        int status = AdminTool.execute(new ExecutionContext(home, conf), "dbms", "set-initial-password", "--", password);
        if (status != 0) {
            throw new IllegalStateException("neo4j-admin dbms set-initial-password exited with " + status);
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing required option " + name);
        }
        return value;
    }
}
