package net.rampart.server.mitigation;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import net.rampart.config.FileChangeWatcher;
import net.rampart.mitigation.audit.AuditEntry;
import net.rampart.mitigation.audit.AuditLog;
import net.rampart.mitigation.audit.JsonLinesAuditLog;
import net.rampart.mitigation.bgp.BgpSpeaker;
import net.rampart.mitigation.guardrail.GuardrailLimits;
import net.rampart.mitigation.guardrail.Guardrails;
import net.rampart.mitigation.lifecycle.ActiveMitigations;
import net.rampart.mitigation.lifecycle.EngineSettings;
import net.rampart.mitigation.lifecycle.MitigationEngine;
import net.rampart.mitigation.lifecycle.MitigationRepository;
import net.rampart.mitigation.policy.Customer;
import net.rampart.mitigation.policy.Policy;
import net.rampart.mitigation.policy.PolicyException;
import net.rampart.mitigation.policy.PolicyLoader;
import net.rampart.mitigation.policy.PolicySource;
import net.rampart.mitigation.policy.SafelistEntry;
import net.rampart.mitigation.reconcile.AnnouncementSession;
import net.rampart.mitigation.reconcile.Reconciler;
import net.rampart.server.Component;
import net.rampart.server.SighupReload;
import net.rampart.server.config.ConfigException;
import net.rampart.server.config.MitigationConfig;
import net.rampart.store.mitigation.EventFilter;
import net.rampart.store.mitigation.PostgresAuditLog.AuditFilter;
import net.rampart.store.mitigation.PostgresAuditLog.StoredAuditEntry;
import net.rampart.store.mitigation.PostgresMitigationRepository.PopSummary;
import net.rampart.store.mitigation.ReceivedEvent;
import net.rampart.wire.ip.IpPrefix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mitigation area put together: policy from the files, the engine over its
 * {@link MitigationStore} (PostgreSQL in the service), the audit log (store and JSON Lines), the
 * reconciler over the BGP sessions, and the reload triggers (file change and SIGHUP; the API is
 * the third).
 */
public final class MitigationService implements Component {

    private static final Logger log = LoggerFactory.getLogger(MitigationService.class);

    private final MitigationConfig config;
    private final PolicySource policy;
    private final MitigationStore store;
    private final MitigationRepository repository;
    private final JsonLinesAuditLog fileAudit;
    private final AuditLog audit;
    private final ActiveMitigations active;
    private final MitigationEngine engine;
    private final Reconciler reconciler;
    private final Supplier<List<AnnouncementSession>> sessions;
    private final Clock clock;
    private final InetAddress bindAddress;
    private final BgpSpeaker speaker;
    private final WebhookNotifier webhooks;
    private FileChangeWatcher watcher;
    private volatile boolean running;

    /**
     * Reads the inventory and playbooks files, before the database starts: a bad file at start
     * has no running policy to fall back on (reloads keep the running one, see {@link PolicySource}).
     *
     * @throws ConfigException naming the setting of the file with the first problem
     */
    public static PolicySource loadPolicy(MitigationConfig config, Clock clock) throws ConfigException {
        try {
            return new PolicySource(new PolicyLoader(config.limits().ttl()), config.inventoryFile().orElse(null),
                    config.playbooksFile().orElse(null), clock);
        } catch (PolicyException e) {
            // Problems start with their file's name; the setting named is the file with the first problem.
            String inventoryName = config.inventoryFile().map(p -> p.getFileName() + ":").orElse(null);
            boolean inventoryAtFault = inventoryName != null && e.problems().get(0).startsWith(inventoryName);
            throw new ConfigException(inventoryAtFault ? MitigationConfig.INVENTORY : MitigationConfig.PLAYBOOKS,
                    e.getMessage());
        }
    }

    /**
     * The service over PostgreSQL.
     *
     * @param policy from {@link #loadPolicy}
     * @throws ConfigException when the audit file cannot be opened
     */
    public MitigationService(MitigationConfig config, PolicySource policy, DataSource dataSource,
                             MeterRegistry metrics, Clock clock, InetAddress bindAddress, ObjectMapper json)
            throws ConfigException {
        this(config, policy, new PostgresMitigationStore(dataSource, metrics), metrics, clock, bindAddress, json);
    }

    /**
     * The service over any store; {@link #stop} closes it.
     *
     * @param policy from {@link #loadPolicy}
     * @throws ConfigException when the audit file cannot be opened
     */
    public MitigationService(MitigationConfig config, PolicySource policy, MitigationStore store,
                             MeterRegistry metrics, Clock clock, InetAddress bindAddress, ObjectMapper json)
            throws ConfigException {
        this.config = config;
        this.policy = policy;
        this.webhooks = new WebhookNotifier(config.webhooks(), config.webhookAttempts(), Duration.ofSeconds(1), json,
                metrics);
        this.clock = clock;
        this.bindAddress = bindAddress;
        // RAMPART_BGP_* win over the inventory file's bgp section.
        this.speaker = config.bgp().or(() -> policy.get().inventory().bgp()).map(BgpSpeaker::new).orElse(null);
        this.sessions = speaker == null ? List::of : speaker::announcementSessions;
        this.store = store;
        this.repository = store.repository();
        try {
            this.fileAudit = new JsonLinesAuditLog(config.auditFile());
        } catch (IOException e) {
            throw new ConfigException(MitigationConfig.AUDIT_FILE, "cannot open " + config.auditFile() + ": "
                    + e.getMessage());
        }
        this.audit = AuditLog.of(store.audit(), fileAudit);
        this.active = new ActiveMitigations(config.pop(), repository, clock);
        Guardrails guardrails = new Guardrails(Guardrails.standard(config.limits(), clock, active,
                this::safelist, this::popQuota, this::busiestSessionAnnounced),
                metrics, audit, clock);
        this.engine = new MitigationEngine(new EngineSettings(config.pop(), config.dryRun(),
                config.correlationWindow()), policy, repository, active, guardrails, audit, clock, metrics, List.of());
        // The reconciler reads the engine and the speaker's sessions, so it is made after both and
        // registers with them: the engine tells it of every change, the speaker of every new
        // session, which then gets the desired rules at once. It comes before the webhooks, so an
        // announcement does not wait for a notification to be formatted.
        this.reconciler = new Reconciler(engine, sessions, clock, metrics);
        engine.addListener(reconciler);
        engine.addListener(webhooks);
        if (speaker != null) {
            speaker.addSessionListener(session -> reconciler.reconcile());
        }
        Gauge.builder("rampart.mitigation.bgp.sessions.established",
                        () -> sessions.get().stream().filter(AnnouncementSession::established).count())
                .description("BGP sessions up and carrying FlowSpec").register(metrics);
        Gauge.builder("rampart.mitigation.active", active::size)
                .description("Active mitigations of this POP").register(metrics);
        Gauge.builder("rampart.mitigation.store.queued", store::unwritten)
                .description("Events and mitigation changes decided and not yet written to the database")
                .register(metrics);
    }

    /** A POP's quota of active mitigations: the inventory's for that POP, else the default. */
    private int popQuota(String pop) {
        return policy.get().inventory().pop(pop).flatMap(p -> p.maxMitigations().isPresent()
                        ? Optional.of(p.maxMitigations().getAsInt()) : Optional.empty())
                .orElse(config.limits().maxPerPop());
    }

    /** The rules the BGP session carrying the most has announced; the peer guardrail's count. */
    private int busiestSessionAnnounced() {
        return sessions.get().stream().mapToInt(s -> s.announced().size()).max().orElse(0);
    }

    /**
     * One quota guardrail's use, as the guardrail counts it.
     *
     * @param guardrail the guardrail's name, as in 422 answers and metrics
     * @param subject   the POP, customer or nothing (null) the quota is for
     */
    public record QuotaUse(String guardrail, String subject, int used, int limit) {
    }

    /**
     * The quotas as the guardrails would judge a new rule now: this POP's, the global one, the
     * busiest BGP session's, and each customer's that has an active mitigation (a customer with
     * none is far from its quota, and an inventory may list thousands).
     */
    public List<QuotaUse> quotas() {
        GuardrailLimits limits = config.limits();
        List<QuotaUse> out = new ArrayList<>();
        out.add(new QuotaUse("pop_quota", config.pop(), active.forPop(config.pop()), popQuota(config.pop())));
        out.add(new QuotaUse("global_quota", null, active.global(), limits.maxGlobal()));
        out.add(new QuotaUse("peer_announcements", null, busiestSessionAnnounced(), limits.maxAnnouncementsPerPeer()));
        for (Customer c : policy.get().inventory().customers()) {
            int used = active.forCustomer(c.id());
            if (used > 0) {
                out.add(new QuotaUse("customer_quota", c.id(), used, c.maxMitigations().orElse(limits.maxPerCustomer())));
            }
        }
        return out;
    }

    /** The inventory file's safelist and the API's entries together. */
    public List<SafelistEntry> safelist() {
        List<SafelistEntry> all = new ArrayList<>(policy.get().inventory().safelist());
        all.addAll(repository.safelist());
        return all;
    }

    @Override
    public String name() {
        return "mitigation";
    }

    @Override
    public void start() throws IOException, InterruptedException {
        if (speaker != null) {
            speaker.start(bindAddress);
        }
        reconciler.start(config.reconcileInterval());
        if (!policy.files().isEmpty()) {
            watcher = new FileChangeWatcher(policy.files(), "policy-file-watcher",
                    () -> auditReload("system", "file_change", policy.reload("file_change")));
        }
        SighupReload.install(() -> auditReload("system", "sighup", policy.reload("sighup")));
        running = true;
        log.atInfo().addKeyValue("event", "mitigation_started").addKeyValue("pop", config.pop())
                .addKeyValue("dry_run", config.dryRun()).addKeyValue("customers",
                        policy.get().inventory().customers().size())
                .addKeyValue("playbooks", policy.get().playbooks().size()).log("Mitigation started");
    }

    /** Adds or replaces a safelist entry through the API, audited. */
    public void addSafelist(SafelistEntry entry) {
        repository.addSafelistEntry(entry);
        audit.record(new AuditEntry(clock.instant(), config.pop(), entry.origin(), "safelist_added", null, null,
                Map.of("prefix", entry.prefix().toString(), "reason", entry.reason())));
    }

    /** Removes an API safelist entry, audited; entries from the inventory file stay. */
    public boolean removeSafelist(IpPrefix prefix, String actor) {
        boolean removed = repository.removeSafelistEntry(prefix);
        if (removed) {
            audit.record(new AuditEntry(clock.instant(), config.pop(), actor, "safelist_removed", null, null,
                    Map.of("prefix", prefix.toString())));
        }
        return removed;
    }

    /** Reloads the policy files for the API and audits the attempt. */
    public PolicySource.ReloadResult reload(String actor) {
        PolicySource.ReloadResult result = policy.reload("api");
        auditReload(actor, "api", result);
        return result;
    }

    private void auditReload(String actor, String trigger, PolicySource.ReloadResult result) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("trigger", trigger);
        details.put("applied", Boolean.toString(result.applied()));
        if (!result.problems().isEmpty()) {
            details.put("problems", String.join("; ", result.problems()));
        }
        audit.record(new AuditEntry(clock.instant(), config.pop(), actor,
                result.applied() ? "policy_reloaded" : "policy_reload_refused", null, null, details));
    }

    @Override
    public void stop(Duration drain) throws IOException {
        running = false;
        if (watcher != null) {
            watcher.close();
        }
        reconciler.shutdown(config.withdrawOnShutdown());
        if (speaker != null) {
            // Withdrawn everything: tell the routers. Otherwise close quietly, so routers doing
            // graceful restart keep the rules until Rampart is back.
            speaker.stop(config.withdrawOnShutdown());
        }
        webhooks.close();
        fileAudit.close();
        store.close();
    }

    @Override
    /** Ready while running and both writers make progress: a database that refuses every write shows here. */
    public boolean isReady() {
        return running && store.makingProgress();
    }

    public MitigationConfig config() {
        return config;
    }

    public MitigationEngine engine() {
        return engine;
    }

    public MitigationRepository repository() {
        return repository;
    }

    /** One mitigation's audit entries, newest first, at most {@code limit}. */
    public List<AuditEntry> auditTrail(String mitigationId, int limit) {
        return store.auditTrail(mitigationId, limit);
    }

    /** The whole audit log as {@code filter} keeps it, newest first, after the entry {@code afterId} (null: from the newest). */
    public List<StoredAuditEntry> auditLog(AuditFilter filter, Long afterId, int limit) {
        return store.auditLog(filter, afterId, limit);
    }

    /** How many audit entries {@code filter} keeps. */
    public long auditCount(AuditFilter filter) {
        return store.auditCount(filter);
    }

    /** Received events as {@code filter} keeps them, newest first; empty when no event has the id {@code afterId}. */
    public Optional<List<ReceivedEvent>> events(EventFilter filter, String afterId, int limit) {
        return store.events(filter, afterId, limit);
    }

    /** How many received events {@code filter} keeps. */
    public long eventCount(EventFilter filter) {
        return store.eventCount(filter);
    }

    /** The POPs that have written mitigations, by name, with how many of each are active. */
    public List<PopSummary> pops() {
        return store.pops();
    }

    public Policy policy() {
        return policy.get();
    }

    public PolicySource.ReloadResult lastReload() {
        return policy.lastReload();
    }

    public List<AnnouncementSession> sessions() {
        return sessions.get();
    }

    public Clock clock() {
        return clock;
    }
}
