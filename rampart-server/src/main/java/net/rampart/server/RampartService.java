package net.rampart.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import net.rampart.collector.inventory.PeerRecord;
import net.rampart.collector.inventory.RouterRecord;
import net.rampart.collector.inventory.SessionEvents;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RouteEventListener;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.monitor.MonitoredPrefix;
import net.rampart.detect.monitor.MonitorsException;
import net.rampart.kafka.ReplayFilter;
import net.rampart.learn.features.FlapDamping;
import net.rampart.mitigation.policy.PolicySource;
import net.rampart.rpki.RpkiService;
import net.rampart.rpki.slurm.SlurmFiles;
import net.rampart.rpki.source.FileVrpSource;
import net.rampart.rpki.source.VrpSource;
import net.rampart.server.backup.BackupRoutes;
import net.rampart.server.backup.Backups;
import net.rampart.server.collector.BmpCollector;
import net.rampart.server.collector.CollectorRoutes;
import net.rampart.server.collector.HistoryRoutes;
import net.rampart.server.collector.MrtImportRoutes;
import net.rampart.server.collector.MrtReload;
import net.rampart.server.collector.RouteHistory;
import net.rampart.server.collector.RouteOrigins;
import net.rampart.server.config.ApiSecurityConfig;
import net.rampart.server.config.BackupConfig;
import net.rampart.server.config.ChurnConfig;
import net.rampart.server.config.CollectorConfig;
import net.rampart.server.config.ConfigException;
import net.rampart.server.config.DetectConfig;
import net.rampart.server.config.FeatureConfig;
import net.rampart.server.config.FlapModelConfig;
import net.rampart.server.config.HistoryConfig;
import net.rampart.server.config.KafkaConfig;
import net.rampart.server.config.MitigationConfig;
import net.rampart.server.config.RpkiConfig;
import net.rampart.server.config.ServerConfig;
import net.rampart.server.config.Settings;
import net.rampart.server.dashboard.DashboardFiles;
import net.rampart.server.dashboard.LiveFeed;
import net.rampart.server.dashboard.UpdateRate;
import net.rampart.server.detect.AlertChannels;
import net.rampart.server.detect.Detection;
import net.rampart.server.detect.DetectionFeed;
import net.rampart.server.detect.MonitorsDraftRoutes;
import net.rampart.server.detect.MonitorsFile;
import net.rampart.server.detect.RisLiveClient;
import net.rampart.server.detect.StoredAlerts;
import net.rampart.server.http.AlertRoutes;
import net.rampart.server.http.ApiRoutes;
import net.rampart.server.http.ApiTime;
import net.rampart.server.http.HttpApi;
import net.rampart.server.http.MitigationRoutes;
import net.rampart.server.http.Readiness;
import net.rampart.server.http.RouteTable;
import net.rampart.server.http.RpkiRoutes;
import net.rampart.server.http.ServiceRoutes;
import net.rampart.server.http.SessionRoutes;
import net.rampart.server.http.TokenRoutes;
import net.rampart.server.kafka.KafkaBmpSource;
import net.rampart.server.kafka.KafkaEvents;
import net.rampart.server.kafka.KafkaPublishing;
import net.rampart.server.learn.AnomalyRoutes;
import net.rampart.server.learn.ChurnAnomalies;
import net.rampart.server.learn.FeatureRefresh;
import net.rampart.server.learn.FeatureRoutes;
import net.rampart.server.learn.FlapModels;
import net.rampart.server.learn.MlRoutes;
import net.rampart.server.mitigation.MitigationService;
import net.rampart.server.security.AccessRules;
import net.rampart.server.security.AdminTokenFile;
import net.rampart.server.security.ApiGuard;
import net.rampart.server.security.ApiTokens;
import net.rampart.server.security.Sessions;
import net.rampart.store.Database;
import net.rampart.store.DatabaseUnavailableException;
import net.rampart.store.ServiceRuns;
import net.rampart.store.auth.PostgresApiTokens;
import net.rampart.store.backup.BackupException;
import net.rampart.store.backup.DatabaseBackups;
import net.rampart.store.backup.PgTools;
import net.rampart.store.learn.ChurnAnomalyTable;
import net.rampart.store.learn.FlapModelTable;
import net.rampart.store.route.CurrentRouteReader;
import net.rampart.store.route.HistoryFeatures;
import net.rampart.store.route.RouteHistoryQueries;
import net.rampart.store.route.SessionHistoryQueries;
import net.rampart.store.route.SourcePositionTable;
import net.rampart.store.rpki.PostgresSnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The composition root: reads the settings and the files they name, starts the database, then
 * the components, then HTTP; stops them in reverse, each phase logged.
 */
public final class RampartService {

    private static final Logger log = LoggerFactory.getLogger(RampartService.class);
    private static final Duration DRAIN = Duration.ofSeconds(20);
    /** Batches of route events (about one per UPDATE) waiting for the detection thread before the feed drops. */
    private static final int DETECTION_QUEUE = 65_536;
    /** The evidence each alert keeps: its latest sightings. */
    private static final int ALERT_EVIDENCE = 50;
    /** Dashboard sign-ins held at once; the oldest goes first beyond it. */
    private static final int MAX_SESSIONS = 10_000;
    /** How often the dashboard's live feed sends the headline counters. */
    private static final Duration LIVE_OVERVIEW_EVERY = Duration.ofSeconds(5);
    /** Alert notifications waiting for the sender before they are dropped. */
    private static final int NOTIFICATION_QUEUE = 1000;
    /** One POST and four retries, the last about 15 s after the first: a receiver's restart is ridden out. */
    private static final int NOTIFICATION_ATTEMPTS = 5;

    private final ServerConfig config;
    private final CollectorConfig collectorConfig;
    private final HistoryConfig historyConfig;
    private final KafkaConfig kafkaConfig;
    /** The service's events on Kafka, when the feed publishes them; null otherwise. */
    private KafkaEvents kafkaEvents;
    /** The churn anomaly detector, null when churn anomalies are off. */
    private ChurnAnomalies churn;
    private final RpkiConfig rpkiConfig;
    private final MitigationConfig mitigationConfig;
    private final DetectConfig detectConfig;
    private final ChurnConfig churnConfig;
    private final FeatureConfig featureConfig;
    private final FlapModelConfig flapModelConfig;
    private final BackupConfig backupConfig;
    /** The monitors file in force; null when detection is off. */
    private final MonitorsFile monitors;
    private final ApiSecurityConfig securityConfig;
    private final SlurmFiles slurm;
    private final PolicySource policy;
    private final String version;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Readiness readiness = new Readiness();
    private final List<Component> components = new ArrayList<>();
    private final List<ApiRoutes> routes = new ArrayList<>();
    private final List<Component> started = new ArrayList<>();
    /** Volatile: a forced exit reads it on its own thread to stop the embedded server. */
    private volatile Database database;
    private ServiceRuns serviceRuns;
    private long runId = -1;
    private HttpApi http;
    private ApiTokens tokens;
    /** Null when the API is open ({@code RAMPART_API_AUTH=off}). */
    private ApiGuard guard;
    private LiveFeed live;

    /**
     * Reads every area's settings and every file they name up front, so that a bad value or a
     * bad file stops the service before anything, the database included, has started.
     *
     * @throws ConfigException naming the first setting that is wrong
     */
    public RampartService(ServerConfig config, Settings settings, String version) throws ConfigException {
        this.config = config;
        this.version = version;
        // Each area parses its own config record from settings here.
        this.collectorConfig = CollectorConfig.from(settings);
        this.historyConfig = HistoryConfig.from(settings);
        this.kafkaConfig = KafkaConfig.from(settings, hostName());
        this.rpkiConfig = RpkiConfig.from(settings);
        this.mitigationConfig = MitigationConfig.from(settings, config.dataDir());
        this.securityConfig = ApiSecurityConfig.from(settings);
        // Read once here and handed to their components, which reload them later: a reload keeps
        // the last good version of a file, but at start there is none to keep.
        this.slurm = loadSlurm(rpkiConfig.slurmFiles());
        checkVrpFiles(rpkiConfig.sources());
        this.policy = MitigationService.loadPolicy(mitigationConfig, Clock.systemUTC());
        this.detectConfig = DetectConfig.from(settings);
        this.monitors = loadMonitors(detectConfig);
        this.churnConfig = ChurnConfig.from(settings);
        this.featureConfig = FeatureConfig.from(settings);
        this.flapModelConfig = FlapModelConfig.from(settings);
        this.backupConfig = BackupConfig.from(settings, config.dataDir());
    }

    private static MonitorsFile loadMonitors(DetectConfig config) throws ConfigException {
        if (config.monitorsFile().isEmpty()) {
            return null;
        }
        try {
            return MonitorsFile.open(config.monitorsFile().get(), Clock.systemUTC());
        } catch (MonitorsException e) {
            throw new ConfigException(DetectConfig.MONITORS, e.getMessage());
        }
    }

    private static SlurmFiles loadSlurm(List<Path> files) throws ConfigException {
        try {
            return SlurmFiles.load(files);
        } catch (IOException e) {
            throw new ConfigException(RpkiConfig.SLURM_FILES, e.getMessage());
        }
    }

    /**
     * Reads every {@code file:} source once, so that a wrong path or a file that is not VRP data
     * stops the start. The updater reads the file again on its first poll: handing this read over
     * would make the first data served as old as the database's start-up.
     */
    private static void checkVrpFiles(List<VrpSource> sources) throws ConfigException {
        for (VrpSource source : sources) {
            if (!(source instanceof FileVrpSource file)) {
                continue;
            }
            if (!Files.isRegularFile(file.path()) || !Files.isReadable(file.path())) {
                throw new ConfigException(RpkiConfig.SOURCES, file.path() + " is not a readable file");
            }
            try {
                file.fetch(Instant.now());
            } catch (IOException e) {
                throw new ConfigException(RpkiConfig.SOURCES, file.name() + ": " + e.getMessage());
            }
        }
    }

    /**
     * Builds each area on the open database: its components (started in the order added, after
     * the database and before HTTP) and its HTTP routes.
     */
    private void assemble() throws IOException, ConfigException, SQLException {
        routes.add(new ServiceRoutes(readiness, metrics));
        tokens = new ApiTokens(new PostgresApiTokens(database.dataSource()), Clock.systemUTC());
        routes.add(new TokenRoutes(tokens, jsonMapper()));
        guard = apiGuard();
        routes.add(new SessionRoutes(guard, jsonMapper(), securityConfig.tls().isPresent()));
        routes.add(new DashboardFiles());
        live = new LiveFeed(jsonMapper(), LIVE_OVERVIEW_EVERY, metrics);
        components.add(live);
        routes.add(live);
        if (kafkaConfig.bootstrap().isPresent() && kafkaConfig.events()) {
            // Before the parts whose events it publishes: it starts before them and stops after them.
            kafkaEvents = new KafkaEvents(kafkaConfig, jsonMapper(), metrics);
            components.add(kafkaEvents);
        }
        RpkiService rpki = assembleRpki();
        assembleCollector(rpki);
        assembleMitigation();
        assembleBackups();
    }

    /**
     * Backups on request and, when scheduled, by themselves. A schedule needs pg_dump and
     * pg_restore of the server's version from the start; without one, a request for a backup
     * says what is missing.
     */
    private void assembleBackups() throws ConfigException {
        var store = new DatabaseBackups(database, backupConfig.directory(), Clock.systemUTC());
        if (backupConfig.schedule().isPresent()) {
            try {
                store.check(PgTools.locate(backupConfig.pgBin(), BackupConfig.PG_BIN));
            } catch (BackupException e) {
                throw new ConfigException(BackupConfig.SCHEDULE, "backups cannot be taken: " + e.getMessage());
            }
        }
        Backups backups = new Backups(store, backupConfig, metrics, Clock.systemUTC());
        components.add(backups);
        routes.add(new BackupRoutes(backups));
    }

    private void assembleCollector(RpkiService rpki) throws IOException, SQLException {
        var history = RouteHistory.open(database.dataSource(), config.dataDir().resolve("spool/routes"), historyConfig,
                !kafkaConfig.consume(), metrics);
        components.add(history);
        // Detection hears every route event the RIB reports, BMP and MRT imports alike. Read from
        // Kafka, what a rebuild re-reads is kept out of the database, which holds it already.
        ReplayFilter replays = kafkaConfig.consume() ? new ReplayFilter() : null;
        RouteEventListener historyListener = replays == null ? history.recorder()
                : replays.routeEvents(history.recorder()::record);
        SessionEvents sessionStore = replays == null ? history.sessionEvents()
                : replays.sessionEvents(history.sessionEvents());
        DetectionFeed feed = monitors == null ? null : new DetectionFeed(DETECTION_QUEUE, metrics);
        List<RouteEventListener> listeners = new ArrayList<>(List.of(historyListener));
        if (feed != null) {
            listeners.add(feed);
        }
        ChurnAnomalyTable anomalies = new ChurnAnomalyTable(database.dataSource());
        if (churnConfig.enabled()) {
            // Counts on the RIB's own thread (no queue): the counter's work per event is a map put.
            churn = new ChurnAnomalies(churnConfig, this::prefixGroups, anomalies, metrics,
                    Clock.systemUTC());
            listeners.add(churn.listener());
            components.add(churn);
        }
        Rib rib = new Rib(listeners.size() == 1 ? historyListener : RouteEventListener.all(listeners));
        KafkaPublishing kafka = null;
        // A service reading its routers from Kafka has no routers of its own to publish.
        if (kafkaConfig.bootstrap().isPresent() && kafkaConfig.publishesBmp() && !kafkaConfig.consume()) {
            kafka = new KafkaPublishing(kafkaConfig, config.dataDir().resolve("spool/kafka"), metrics);
            // Before the collector: it starts before routers connect and stops after they are gone.
            components.add(kafka);
            readiness.addDegradable("kafka_publish", kafka::trouble, false);
        }
        KafkaPublishing publishing = kafka;
        var collector = new BmpCollector(collectorConfig, config.bindAddress(),
                kafkaConfig.consume() ? 0 : config.bmpPort(), rib, live.following(sessionStore), metrics,
                publishing == null ? BmpCollector.OWN_SESSIONS : publishing::publishing);
        live.counter("routers_connected", () -> collector.inventory().routers().stream()
                .filter(RouterRecord::connected).count());
        live.counter("routers", () -> collector.inventory().routers().size());
        live.counter("peers_up", () -> collector.inventory().peers().stream().filter(PeerRecord::up).count());
        live.counter("peers", () -> collector.inventory().peers().size());
        live.counter("routes", rib::routeCount);
        live.counter("routes_by_family", () -> CollectorRoutes.countsByFamilyAndView(rib));
        var updateRate = new UpdateRate(BmpCollector.FAMILY_GROUPS, collector::routeUpdates, Clock.systemUTC());
        live.onTick(updateRate::sample);
        live.counter("update_rate", updateRate::lastHour);
        // The collector records into history through the RIB, so it is made after history and registers here.
        history.onResendNeeded(collector::closeSessions);
        // Before any component starts, so the imported sources are back before BMP sessions
        // and imports add to the RIB; current_route first takes in what history holds.
        history.checkpoint();
        new MrtReload(new CurrentRouteReader(database.dataSource()), rib, collector.inventory()).run();
        if (kafkaConfig.consume()) {
            components.add(collector);
            // After history, so that it stops first and commits what history stored meanwhile.
            components.add(new KafkaBmpSource(kafkaConfig, collector, replays, history.recorder(),
                    new SourcePositionTable(database.dataSource()), metrics));
        } else if (config.bmpPort() != 0) {
            components.add(collector);
        }
        var origins = new RouteOrigins(rib, metrics);
        rpki.addViewListener(origins::follow);
        components.add(origins);
        routes.add(new CollectorRoutes(collector.inventory(), rib, origins));
        routes.add(new MonitorsDraftRoutes(rib, rpki::view, Clock.systemUTC()));
        routes.add(new MrtImportRoutes(rib, collector.inventory(), historyConfig.routeRetention()));
        routes.add(new HistoryRoutes(new RouteHistoryQueries(database.dataSource()),
                new SessionHistoryQueries(database.dataSource())));
        // Served with churn anomalies off as well: what earlier runs stored stays readable.
        routes.add(new AnomalyRoutes(anomalies));
        var historyFeatures = new HistoryFeatures(database.dataSource(), FlapDamping.DEFAULT);
        var featureRefresh = new FeatureRefresh(featureConfig, historyFeatures, metrics, Clock.systemUTC());
        components.add(featureRefresh);
        routes.add(new FeatureRoutes(featureRefresh, jsonMapper(), Clock.systemUTC()));
        var flapModels = new FlapModels(flapModelConfig, historyFeatures, new FlapModelTable(database.dataSource()),
                FlapDamping.DEFAULT, metrics, Clock.systemUTC());
        components.add(flapModels);
        routes.add(new MlRoutes(flapModels, jsonMapper(), Clock.systemUTC()));
        assembleDetection(rib, feed, rpki, featureRefresh, flapModels);
    }

    /**
     * The detection thread with its alerts stored in the database, when a monitors file is set,
     * and the alert API, which says so when it is not.
     */
    private void assembleDetection(Rib rib, DetectionFeed feed, RpkiService rpki, FeatureRefresh featureRefresh,
                                   FlapModels flapModels) throws SQLException {
        Detection detection = null;
        if (monitors != null) {
            StoredAlerts stored = new StoredAlerts(database.dataSource(), metrics);
            components.add(stored);
            Alerts alerts = new Alerts(stored.store(), ALERT_EVIDENCE);
            // Added before detection, so that it stops after it and sends what detection raised last.
            AlertChannels channels = new AlertChannels(() -> monitors.current().monitors(),
                    AlertChannels.sender(NOTIFICATION_QUEUE, NOTIFICATION_ATTEMPTS, Duration.ofSeconds(1), metrics),
                    jsonMapper(), detectConfig.publicUrl().orElseGet(this::ownUrl));
            channels.resume(alerts.all());
            components.add(channels);
            alerts.addListener(channels);
            alerts.addListener(live);
            if (kafkaEvents != null) {
                alerts.addListener(kafkaEvents);
            }
            if (churn != null) {
                // Churn anomalies reach the channels as alerts; without a monitors file they are only stored.
                churn.alertTo(alerts);
            }
            // Routes of monitored prefixes the flap model expects to flap, after each feature refresh.
            featureRefresh.alertPredictedFlaps(alerts, flapModels, () -> monitors.current().monitors().prefixes());
            live.counter("alerts_open", () -> alerts.all().stream().filter(a -> a.state().active()).count());
            RisLiveClient risLive = detectConfig.risLive().url().isEmpty() ? null
                    : new RisLiveClient(detectConfig.risLive(), monitors, feed, jsonMapper(), metrics);
            Detection validating = Detection.validating(rib, feed, monitors, alerts, Clock.systemUTC(), metrics,
                    risLive == null ? List::of : risLive::currentRoutes, rpki::view);
            // Routes change state when the VRPs do, without a route event: detection judges them again.
            rpki.addViewListener(view -> validating.vrpsChanged());
            detection = validating;
            components.add(detection);
            if (risLive != null) {
                // After detection, so that the routes it hands over have a thread to take them.
                components.add(risLive);
            }
        }
        routes.add(new AlertRoutes(detection, jsonMapper(), Clock.systemUTC()));
    }

    /** The churn counter's prefix groups: the monitors file's groups of monitored prefixes, none without one. */
    private Map<String, List<String>> prefixGroups() {
        Map<String, List<String>> groups = new TreeMap<>();
        if (monitors != null) {
            for (MonitoredPrefix p : monitors.current().monitors().prefixes()) {
                groups.computeIfAbsent(p.group(), g -> new ArrayList<>()).add(p.prefix().toString());
            }
        }
        return groups;
    }

    /** This host as the API's clients reach it, when {@code RAMPART_PUBLIC_URL} does not say. */
    private URI ownUrl() {
        String host = config.bindAddress().isAnyLocalAddress() ? localHostName()
                : config.bindAddress().getHostAddress();
        String scheme = securityConfig.tls().isPresent() ? "https" : "http";
        return URI.create(scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + config.httpPort());
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private RpkiService assembleRpki() {
        var rtrBind = config.rtrPort() == 0 ? null
                : new java.net.InetSocketAddress(config.bindAddress(), config.rtrPort());
        var rpki = new RpkiService(new RpkiService.Settings(rpkiConfig.sources(), slurm,
                rpkiConfig.pollInterval(), rpkiConfig.policy(), rpkiConfig.retainedDeltas(), rpkiConfig.rtrTimers(),
                rtrBind, Math.max(2, Runtime.getRuntime().availableProcessors())),
                new PostgresSnapshotStore(database.dataSource()), metrics, Clock.systemUTC());
        if (kafkaEvents != null) {
            rpki.addViewListener(kafkaEvents::rpkiChanged);
        }
        components.add(new RpkiComponent(rpki, rtrBind != null));
        routes.add(new RpkiRoutes(rpki, jsonMapper()));
        readiness.addDegradable("rpki_data", rpki::staleness, rpkiConfig.readyRequiresFreshData());
        return rpki;
    }

    private void assembleMitigation() throws ConfigException {
        var mitigation = new MitigationService(mitigationConfig, policy, database.dataSource(), metrics,
                Clock.systemUTC(), config.bindAddress(), jsonMapper());
        components.add(mitigation);
        mitigation.engine().addListener(live);
        if (kafkaEvents != null) {
            mitigation.engine().addListener(kafkaEvents);
        }
        live.counter("mitigations_active", () -> mitigation.engine().active().size());
        routes.add(new MitigationRoutes(mitigation, jsonMapper()));
    }

    public void start() throws ConfigException, Exception {
        long begin = System.nanoTime();
        PortCheck.requireFree(config.bindAddress(), config.enabledPorts());
        bindProcessMetrics();

        database = openDatabase();
        readiness.add("database", () -> database.isReachable(Duration.ofSeconds(1)));
        serviceRuns = new ServiceRuns(database.dataSource());
        runId = serviceRuns.begin(version, hostName());
        assemble();

        for (Component component : components) {
            component.start();
            started.add(component);
            readiness.add(component.name(), component::isReady);
        }

        if (config.httpPort() != 0) {
            http = new HttpApi(jsonMapper(), metrics, routes, version, guard, securityConfig.tls());
            try {
                http.start(config.bindAddress(), config.httpPort());
            } catch (IOException e) {
                throw new ConfigException(ServerConfig.HTTP_PORT, e.getMessage());
            }
            readiness.add("http", http::isServing);
        }
        log.atInfo().addKeyValue("event", "service_ready")
                .addKeyValue("version", version)
                .addKeyValue("http_port", http == null ? 0 : http.port())
                .addKeyValue("dashboard", http == null ? null : ownUrl() + "/")
                .addKeyValue("database", database.isEmbedded() ? "embedded" : "external")
                .addKeyValue("startup_ms", Duration.ofNanos(System.nanoTime() - begin).toMillis())
                .log("Rampart is ready");
    }

    /**
     * The guard in front of every API route; makes the first admin token when there is none.
     * Null when {@code RAMPART_API_AUTH=off}.
     */
    private ApiGuard apiGuard() throws SQLException, IOException {
        if (!securityConfig.tokensRequired()) {
            log.atWarn().addKeyValue("event", "api_unauthenticated")
                    .log("RAMPART_API_AUTH=off: every API route, including those that announce FlowSpec rules, "
                            + "is open to anyone who can reach the HTTP port");
            return null;
        }
        AdminTokenFile.ensure(tokens, config.dataDir());
        Sessions sessions = new Sessions(securityConfig.sessionTtl(), MAX_SESSIONS, Clock.systemUTC());
        return new ApiGuard(tokens, sessions, new AccessRules(securityConfig.metricsPublic()), securityConfig.requestsPerSecond(),
                securityConfig.burst(), metrics);
    }

    private Database openDatabase() throws ConfigException {
        try {
            return Database.open(config.database());
        } catch (DatabaseUnavailableException e) {
            throw new ConfigException(config.database().isEmbedded() ? ServerConfig.DATA_DIR : ServerConfig.DATABASE_URL,
                    e.getMessage());
        }
    }

    private void bindProcessMetrics() {
        new ClassLoaderMetrics().bindTo(metrics);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new JvmInfoMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);
        new FileDescriptorMetrics().bindTo(metrics);
    }

    /**
     * Stops in reverse order of start: HTTP (refuse new requests, finish in-flight ones), the
     * components, then the database. Safe to call after a partial start.
     */
    public void stop() {
        phase("http", () -> {
            if (http != null) {
                http.stop(DRAIN);
            }
        });
        for (int i = started.size() - 1; i >= 0; i--) {
            Component component = started.get(i);
            phase(component.name(), () -> component.stop(DRAIN));
        }
        phase("database", () -> {
            if (database != null) {
                if (runId >= 0) {
                    serviceRuns.end(runId);
                }
                database.close();
            }
        });
        metrics.close();
        log.atInfo().addKeyValue("event", "service_stopped").log("Rampart stopped");
    }

    /**
     * For a forced exit, while {@link #stop()} may still be stuck in a component or in the pool:
     * stops the embedded PostgreSQL without waiting for either.
     */
    void stopDatabaseNow() {
        phase("database", () -> {
            Database open = database;
            if (open != null) {
                open.stopServerNow();
            }
        });
    }

    private interface Phase {
        void run() throws Exception;
    }

    private static void phase(String name, Phase phase) {
        long begin = System.nanoTime();
        log.atInfo().addKeyValue("event", "shutdown_phase").addKeyValue("phase", name)
                .addKeyValue("state", "begin").log("stopping " + name);
        try {
            phase.run();
            log.atInfo().addKeyValue("event", "shutdown_phase").addKeyValue("phase", name)
                    .addKeyValue("state", "done")
                    .addKeyValue("duration_ms", Duration.ofNanos(System.nanoTime() - begin).toMillis())
                    .log("stopped " + name);
        } catch (Exception e) {
            log.atError().addKeyValue("event", "shutdown_phase").addKeyValue("phase", name)
                    .addKeyValue("state", "failed").setCause(e).log("stopping " + name + " failed");
        }
    }

    /** The HTTP routes being served, for checking them against the OpenAPI document. */
    List<RouteTable.Route> servedRoutes() {
        return http == null ? List.of() : http.routes();
    }

    /** The OpenAPI document being served. */
    com.fasterxml.jackson.databind.JsonNode openApi() {
        return http == null ? null : http.openApi();
    }

    /** The API's JSON mapper; public so the HTTP tests read request bodies exactly as the service does. */
    public static ObjectMapper jsonMapper() {
        // API fields are snake_case, as in the rest of the API documents (vrp_count, next_cursor).
        return new ObjectMapper()
                // {"victim_ip":"192.0.2.1","victim_ip":"198.51.100.1"} is refused: which one the
                // sender meant is unknowable, and checks and uses of a body must see the same value.
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                // Numbers without exponents: a rate is 12500000, not 1.25E+7 (see MitigationJson).
                .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .registerModule(new JavaTimeModule())
                // After JavaTimeModule, so that its Instant serializer gives way: one precision everywhere.
                .registerModule(ApiTime.module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

}
