using Dapper;

namespace HelpdeskSidecar.Storage;

/// <summary>
/// One ordered migration history for the SQLite provider; each step runs once, in a transaction. Step N has its twin in
/// <see cref="PostgresMigrations"/> (same tables and columns): a new step goes at the end of both.
/// </summary>
internal static class Migrations
{
    internal static readonly string[] Steps =
    [
        """
        CREATE TABLE inbox_events (
            id            INTEGER PRIMARY KEY,
            provider      TEXT NOT NULL,
            dedupe_key    TEXT NOT NULL,
            event_type    TEXT NOT NULL,
            ticket_id     TEXT,
            received_at   TEXT NOT NULL,
            payload       BLOB NOT NULL,
            dispatched_at TEXT,
            disposition   TEXT,
            UNIQUE (provider, dedupe_key)
        );
        CREATE INDEX ix_inbox_undispatched ON inbox_events (id) WHERE dispatched_at IS NULL;

        CREATE TABLE articles (
            id           INTEGER PRIMARY KEY,
            source       TEXT NOT NULL,
            external_id  TEXT NOT NULL,
            title        TEXT NOT NULL,
            url          TEXT,
            content_hash TEXT NOT NULL,
            updated_at   TEXT NOT NULL,
            UNIQUE (source, external_id)
        );
        CREATE TABLE chunks (
            id           INTEGER PRIMARY KEY,
            article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            ordinal      INTEGER NOT NULL,
            heading_path TEXT NOT NULL,
            text         TEXT NOT NULL
        );
        CREATE INDEX ix_chunks_article ON chunks (article_id);
        CREATE VIRTUAL TABLE chunks_fts USING fts5 (
            title, headings, body, tokenize = 'porter unicode61 remove_diacritics 2'
        );

        CREATE TABLE suggestions (
            id              TEXT PRIMARY KEY,
            provider        TEXT NOT NULL,
            ticket_id       TEXT NOT NULL,
            trigger_key     TEXT NOT NULL,
            created_at      TEXT NOT NULL,
            kind            TEXT NOT NULL,
            mode            TEXT NOT NULL,
            draft           TEXT,
            note            TEXT NOT NULL,
            status          TEXT NOT NULL,
            status_reason   TEXT,
            written_at      TEXT,
            write_attempts  INTEGER NOT NULL DEFAULT 0,
            verdict         TEXT,
            similarity      REAL,
            trace           TEXT NOT NULL,
            UNIQUE (provider, ticket_id, trigger_key)
        );
        CREATE INDEX ix_suggestions_ticket ON suggestions (ticket_id, created_at);
        """,
        // 2: past tickets with the intent and tags agents gave them, which the classifier learns from (text redacted).
        """
        CREATE TABLE history_tickets (
            id          INTEGER PRIMARY KEY,
            source      TEXT NOT NULL,
            text_hash   TEXT NOT NULL,
            text        TEXT NOT NULL,
            intent      TEXT,
            tags        TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            UNIQUE (source, text_hash)
        );
        """,
        // 3: chunk metadata for policy-filtered retrieval, and one dense vector per chunk (float32, little endian).
        """
        ALTER TABLE chunks ADD COLUMN source       TEXT NOT NULL DEFAULT 'files';
        ALTER TABLE chunks ADD COLUMN tier         TEXT NOT NULL DEFAULT 'article';
        ALTER TABLE chunks ADD COLUMN locale       TEXT NOT NULL DEFAULT 'en';
        ALTER TABLE chunks ADD COLUMN brand        TEXT;
        ALTER TABLE chunks ADD COLUMN visibility   TEXT NOT NULL DEFAULT 'public';
        ALTER TABLE chunks ADD COLUMN url          TEXT;
        ALTER TABLE chunks ADD COLUMN updated_at   TEXT;
        ALTER TABLE chunks ADD COLUMN content_hash TEXT;
        ALTER TABLE chunks ADD COLUMN embedding    BLOB;
        CREATE INDEX ix_chunks_policy ON chunks (tier, locale, visibility, brand);
        CREATE TABLE embedding_models (
            name       TEXT PRIMARY KEY,
            state      BLOB NOT NULL,
            updated_at TEXT NOT NULL
        );
        """,
        // 4: the approval loop: how each suggestion ended (verdict by reply or feedback), auto-tagging rules and their audit.
        """
        ALTER TABLE suggestions ADD COLUMN brand_id TEXT;
        ALTER TABLE suggestions ADD COLUMN verdict_source TEXT;
        ALTER TABLE suggestions ADD COLUMN verdict_reason TEXT;
        ALTER TABLE suggestions ADD COLUMN verdict_at TEXT;
        ALTER TABLE suggestions ADD COLUMN reply_author_id TEXT;
        CREATE INDEX ix_suggestions_created ON suggestions (created_at);

        CREATE TABLE tagging_rules (
            scope      TEXT NOT NULL,
            name       TEXT NOT NULL,
            mode       TEXT NOT NULL,
            threshold  REAL NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (scope, name)
        );
        CREATE TABLE tagging_audit (
            id         INTEGER PRIMARY KEY,
            at         TEXT NOT NULL,
            who        TEXT NOT NULL,
            scope      TEXT NOT NULL,
            name       TEXT NOT NULL,
            before     TEXT,
            after      TEXT NOT NULL
        );
        CREATE TABLE tag_outcomes (
            suggestion_id TEXT NOT NULL,
            tag           TEXT NOT NULL,
            action        TEXT NOT NULL,
            kept          INTEGER NOT NULL,
            settled_at    TEXT NOT NULL,
            PRIMARY KEY (suggestion_id, tag)
        );
        CREATE TABLE feedback_link_uses (
            signature     TEXT PRIMARY KEY,
            suggestion_id TEXT NOT NULL,
            used_at       TEXT NOT NULL
        );
        """,
        // 5: where each `kb sync` source left off (last sync time, and the helpdesk's cursor where it has one).
        """
        CREATE TABLE sync_state (
            source    TEXT PRIMARY KEY,
            synced_at TEXT NOT NULL,
            cursor    TEXT
        );
        """,
        // 6: reports: a short redacted excerpt of the customer's question on knowledge gaps (never raw text), so the gap
        // report can show examples; and an index for the reports' kind filter.
        """
        ALTER TABLE suggestions ADD COLUMN question TEXT;
        CREATE INDEX ix_suggestions_kind_created ON suggestions (kind, created_at);
        """,
        // 7: console users and API tokens: passwords as PBKDF2 hashes, tokens as SHA-256 hashes, never in clear.
        """
        CREATE TABLE users (
            name          TEXT PRIMARY KEY COLLATE NOCASE,
            role          TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            created_at    TEXT NOT NULL,
            updated_at    TEXT NOT NULL
        );
        CREATE TABLE api_tokens (
            id         INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            role       TEXT NOT NULL,
            hash       TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            revoked_at TEXT
        );
        """,
        // 8: settings the ops leads change at run time: the mode per brand and per intent (a row overrides Sidecar:Mode,
        // no row inherits it), and one audit of every settings change (mode overrides, policy file edits by sha256).
        """
        CREATE TABLE mode_overrides (
            scope      TEXT NOT NULL,
            key        TEXT NOT NULL COLLATE NOCASE,
            mode       TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL,
            PRIMARY KEY (scope, key)
        );
        CREATE TABLE settings_audit (
            id     INTEGER PRIMARY KEY,
            at     TEXT NOT NULL,
            who    TEXT NOT NULL,
            scope  TEXT NOT NULL,
            key    TEXT NOT NULL,
            before TEXT,
            after  TEXT
        );
        """,
        // 9: console users: a disabled flag, a session stamp (a new one ends every session of the user) and the name's
        // comparison key (NFC, lower case: NOCASE folds ASCII only). Names before this step were ASCII, so lower() is that key.
        """
        ALTER TABLE users ADD COLUMN name_key TEXT;
        ALTER TABLE users ADD COLUMN disabled_at TEXT;
        ALTER TABLE users ADD COLUMN session_stamp TEXT;
        UPDATE users SET name_key = lower(name), session_stamp = lower(hex(randomblob(16)));
        CREATE UNIQUE INDEX ux_users_name_key ON users (name_key);
        """,
        // 10: display names of a helpdesk's agents and brands, as last seen on a ticket, so reports show
        // "Priya Nair" rather than 5002 (an id that has no row is shown as the id).
        """
        CREATE TABLE helpdesk_names (
            helpdesk   TEXT NOT NULL,
            kind       TEXT NOT NULL,
            id         TEXT NOT NULL,
            name       TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (helpdesk, kind, id)
        );
        """,
        // 11: console sessions held server-side: signing out deletes the row, so a copied cookie no longer opens anything.
        // A user's other browsers keep their own rows (see Access/SessionStore).
        """
        CREATE TABLE console_sessions (
            id        TEXT PRIMARY KEY,
            name_key  TEXT NOT NULL,
            issued_at TEXT NOT NULL
        );
        CREATE INDEX ix_console_sessions_user ON console_sessions (name_key);
        CREATE INDEX ix_console_sessions_issued ON console_sessions (issued_at);
        """,
        // 12: webhook bodies still kept, by dispatch time, so the retention sweep (Ingestion/InboxPayloadRetention) finds the
        // few it has to drop without reading the whole inbox. A dropped body is the empty blob.
        """
        CREATE INDEX ix_inbox_payload_kept ON inbox_events (dispatched_at) WHERE length(payload) > 0;
        """,
        // 13: the W3C traceparent of the webhook request that delivered an event, so the job it leads to continues
        // that request's trace (OpenTelemetry); null when telemetry was off.
        """
        ALTER TABLE inbox_events ADD COLUMN trace_parent TEXT;
        """,
        // 14: which embedder made each chunk's vector (the model id): a vector of another encoder, or of none, is computed
        // again; a chunk whose text did not change keeps its vector. Vectors are stored as the embedder returned them.
        """
        ALTER TABLE chunks ADD COLUMN embedding_model TEXT;
        """,
        // 15: what several replicas on PostgreSQL share instead of keeping it in files or in memory: the ASP.NET
        // data-protection keys (cookies), secrets such as the feedback-link key, and failed sign-ins. One process on
        // SQLite keeps using its files and memory; the tables exist here too so both providers have one schema.
        """
        CREATE TABLE data_protection_keys (
            name       TEXT PRIMARY KEY,
            xml        TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE shared_secrets (
            name       TEXT PRIMARY KEY,
            value      BLOB NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE login_failures (
            id  INTEGER PRIMARY KEY,
            key TEXT NOT NULL,
            at  TEXT NOT NULL
        );
        CREATE INDEX ix_login_failures_key ON login_failures (key, at);
        """,
        // 16: "Insert into reply" in the helpdesk apps (manifests/zendesk/app, manifests/freshdesk/app): each time an agent
        // put a draft into the reply box, so the acceptance report can count drafts inserted and what became of them.
        """
        CREATE TABLE suggestion_insertions (
            id            INTEGER PRIMARY KEY,
            suggestion_id TEXT NOT NULL REFERENCES suggestions (id),
            inserted_at   TEXT NOT NULL,
            app           TEXT NOT NULL
        );
        CREATE INDEX ix_suggestion_insertions_suggestion ON suggestion_insertions (suggestion_id);
        """,
        // 17: the ops health page (Hosting/OpsHealth): the newest webhook per helpdesk, and the write-backs given up (or
        // still waiting: WriteBackRecovery at start), found without reading the whole inbox or every suggestion.
        """
        CREATE INDEX ix_inbox_provider ON inbox_events (provider, id);
        CREATE INDEX ix_suggestions_status ON suggestions (status, created_at);
        """,
        // 18: verified resolution and the customer's history (Copilot/History): per ticket the sidecar ran on, the requester,
        // the intent and the redacted question excerpt, the latest draft, and when it was solved, reopened or followed by a
        // new ticket of the same requester on the same theme. Times are UTC ISO 8601 text.
        """
        CREATE TABLE ticket_outcomes (
            provider            TEXT NOT NULL,
            ticket_id           TEXT NOT NULL,
            requester_id        TEXT,
            intent              TEXT,
            summary             TEXT,
            suggestion_id       TEXT,
            first_seen_at       TEXT NOT NULL,
            solved_at           TEXT,
            reopened_at         TEXT,
            recontacted_at      TEXT,
            recontact_ticket_id TEXT,
            PRIMARY KEY (provider, ticket_id)
        );
        CREATE INDEX ix_ticket_outcomes_requester ON ticket_outcomes (provider, requester_id);
        """,
        // 19: routing (issue 19): ops leads' mode per routing rule with its audit, the route fields written to a ticket
        // (once per suggestion and target), and whether each route was still in place when the ticket was solved.
        """
        CREATE TABLE routing_modes (
            rule       TEXT PRIMARY KEY,
            mode       TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE routing_audit (
            id     INTEGER PRIMARY KEY,
            at     TEXT NOT NULL,
            who    TEXT NOT NULL,
            rule   TEXT NOT NULL,
            before TEXT,
            after  TEXT NOT NULL
        );
        CREATE TABLE route_writes (
            suggestion_id TEXT NOT NULL,
            target        TEXT NOT NULL,
            value         TEXT NOT NULL,
            written_at    TEXT NOT NULL,
            PRIMARY KEY (suggestion_id, target)
        );
        CREATE TABLE route_outcomes (
            suggestion_id TEXT NOT NULL,
            target        TEXT NOT NULL,
            rule          TEXT NOT NULL,
            value         TEXT NOT NULL,
            action        TEXT NOT NULL,
            kept          INTEGER NOT NULL,
            settled_at    TEXT NOT NULL,
            PRIMARY KEY (suggestion_id, target)
        );
        """,
        // 20: knowledge authoring (Knowledge/Proposals): a solved ticket that got a knowledge-gap suggestion turns the agent's
        // redacted answer into a draft article proposal; similar questions merge into one proposal. Publishing records its
        // intent (publish_attempts, lease) before the helpdesk call and the created article's id after it, so a retry
        // after a crash in between looks for the article's marker instead of creating a second one.
        """
        CREATE TABLE article_proposals (
            id                   TEXT PRIMARY KEY,
            provider             TEXT NOT NULL,
            status               TEXT NOT NULL,
            title                TEXT NOT NULL,
            answer               TEXT NOT NULL,
            tags                 TEXT NOT NULL,
            created_at           TEXT NOT NULL,
            updated_at           TEXT NOT NULL,
            reviewed_by          TEXT,
            reviewed_at          TEXT,
            publish_attempts     INTEGER NOT NULL DEFAULT 0,
            publish_lease_until  TEXT,
            publish_error        TEXT,
            published_article_id TEXT,
            published_url        TEXT,
            published_at         TEXT
        );
        CREATE INDEX ix_article_proposals_status ON article_proposals (status, created_at);
        CREATE TABLE article_proposal_questions (
            id            INTEGER PRIMARY KEY,
            proposal_id   TEXT NOT NULL REFERENCES article_proposals (id),
            suggestion_id TEXT NOT NULL UNIQUE,
            ticket_id     TEXT NOT NULL,
            question      TEXT NOT NULL,
            added_at      TEXT NOT NULL
        );
        CREATE INDEX ix_article_proposal_questions_proposal ON article_proposal_questions (proposal_id);
        """,
        // 21: rising-theme webhooks sent, one row per theme (its words) and ISO week, so each is posted once across
        // checks and replicas (the row is claimed before the POST and released if the POST fails).
        """
        CREATE TABLE theme_alerts (
            theme   TEXT NOT NULL,
            period  TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            PRIMARY KEY (theme, period)
        );
        """,
        // 22: the agent's console: the reply the agent really sent, PII-redacted like every stored text, shown beside the
        // draft as a diff; and the index the suggestions list pages through (newest first, keyset on created_at, id).
        """
        ALTER TABLE suggestions ADD COLUMN reply TEXT;
        CREATE INDEX ix_suggestions_created_id ON suggestions (created_at, id);
        """,
    ];

    public static async Task ApplyAsync(Database database)
    {
        await using var connection = await database.OpenRawAsync(CancellationToken.None).ConfigureAwait(false);
        await connection.ExecuteAsync("PRAGMA journal_mode=WAL;").ConfigureAwait(false);
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY);").ConfigureAwait(false);
        var applied = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations").ConfigureAwait(false)).ToHashSet();
        for (var version = 1; version <= Steps.Length; version++)
        {
            if (applied.Contains(version))
                continue;
            await using var tx = await connection.BeginTransactionAsync().ConfigureAwait(false);
            await connection.ExecuteAsync(Steps[version - 1], transaction: tx).ConfigureAwait(false);
            await connection.ExecuteAsync("INSERT OR IGNORE INTO schema_migrations (version) VALUES (@version)", new { version }, tx).ConfigureAwait(false);
            await tx.CommitAsync().ConfigureAwait(false);
        }
    }
}
