import Core
import Foundation
import SQLKit

/// An account's key pair as stored: remote accounts have no private key.
package struct AccountKey: Sendable, Equatable {
    package var accountID: Account.ID
    package var keyID: String
    package var publicKeyPEM: String
    package var privateKeyPEM: String?

    package init(accountID: Account.ID, keyID: String, publicKeyPEM: String, privateKeyPEM: String?) {
        self.accountID = accountID
        self.keyID = keyID
        self.publicKeyPEM = publicKeyPEM
        self.privateKeyPEM = privateKeyPEM
    }
}

struct AccountKeyRow: Decodable {
    var accountId: Int64
    var keyId: String
    var publicKey: String
    var privateKey: String?

    enum CodingKeys: String, CodingKey {
        case accountId = "account_id"
        case keyId = "key_id"
        case publicKey = "public_key"
        case privateKey = "private_key"
    }

    var key: AccountKey {
        AccountKey(
            accountID: Account.ID(self.accountId),
            keyID: self.keyId,
            publicKeyPEM: self.publicKey,
            privateKeyPEM: self.privateKey
        )
    }
}

/// A host this server has heard of, with its delivery health.
package struct Peer: Sendable, Equatable {
    package var domain: String
    package var failingSince: Date?
    package var failures: Int
    package var unavailable: Bool
}

extension DBSession {
    // MARK: Actors

    /// The account whose ActivityPub id is `uri`.
    package func account(uri: String) async throws -> Account? {
        try await self.accounts("SELECT \(unsafeRaw: AccountRow.columnList) FROM accounts WHERE uri = \(bind: uri)")
            .first
    }

    /// Accounts by ActivityPub id; unknown ones are skipped.
    package func accounts(uris: [String]) async throws -> [Account] {
        guard !uris.isEmpty else { return [] }
        return try await self.accounts(
            "SELECT \(unsafeRaw: AccountRow.columnList) FROM accounts WHERE uri IN (\(binds: uris))"
        )
    }

    /// Rewrites what a remote actor document says about an account (not its counters or username).
    package func updateRemoteAccount(_ account: Account) async throws {
        try await self.sql.raw(
            """
            UPDATE accounts SET display_name = \(bind: account.displayName), note = \(bind: account.note),
                note_html = \(bind: account.noteHTML), fields = \(bind: try AccountRow.encodeFields(account.fields)),
                locked = \(bind: account.locked), bot = \(bind: account.bot),
                discoverable = \(bind: account.discoverable), indexable = \(bind: account.indexable),
                url = \(bind: account.url), actor_type = \(bind: account.actorType),
                inbox_url = \(bind: account.endpoints.inbox), shared_inbox_url = \(bind: account.endpoints.sharedInbox),
                outbox_url = \(bind: account.endpoints.outbox), followers_url = \(bind: account.endpoints.followers),
                following_url = \(bind: account.endpoints.following), featured_url = \(bind: account.endpoints.featured),
                avatar_remote_url = \(bind: account.avatarRemoteURL), header_remote_url = \(bind: account.headerRemoteURL),
                also_known_as = \(bind: AccountRow.encodeAliases(account.alsoKnownAs)),
                moved_to_uri = \(bind: account.movedToURI), fetched_at = \(bind: account.fetchedAt?.millisecondsSince1970),
                updated_at = \(bind: self.nowMillis)
            WHERE id = \(bind: account.id.rawValue) AND domain IS NOT NULL
            """
        ).run()
    }

    /// Moves a remote handle to a new actor URI (the server reassigned it).
    package func updateRemoteAccountURI(_ id: Account.ID, uri: String) async throws {
        try await self.sql.raw(
            "UPDATE accounts SET uri = \(bind: uri) WHERE id = \(bind: id.rawValue) AND domain IS NOT NULL"
        ).run()
    }

    /// Sets the counters a remote actor's collections report (Mastodon shows the remote numbers).
    package func updateRemoteCounts(_ id: Account.ID, followers: Int?, following: Int?, statuses: Int?) async throws {
        try await self.sql.raw(
            """
            UPDATE accounts SET followers_count = COALESCE(\(bind: followers), followers_count),
                following_count = COALESCE(\(bind: following), following_count),
                statuses_count = COALESCE(\(bind: statuses), statuses_count)
            WHERE id = \(bind: id.rawValue) AND domain IS NOT NULL
            """
        ).run()
    }

    // MARK: Keys

    /// Stores an account's key, replacing an older one (remote actors rotate keys).
    package func upsertAccountKey(_ key: AccountKey) async throws {
        try await self.sql.raw(
            """
            INSERT INTO account_keys (account_id, key_id, public_key, private_key)
            VALUES (\(bind: key.accountID.rawValue), \(bind: key.keyID), \(bind: key.publicKeyPEM),
                \(bind: key.privateKeyPEM))
            ON CONFLICT (account_id) DO UPDATE SET key_id = excluded.key_id, public_key = excluded.public_key,
                private_key = excluded.private_key
            """
        ).run()
    }

    /// Stores a local account's first key; a key it already has is kept (two processes may race).
    package func insertAccountKey(_ key: AccountKey) async throws {
        try await self.sql.raw(
            """
            INSERT INTO account_keys (account_id, key_id, public_key, private_key)
            VALUES (\(bind: key.accountID.rawValue), \(bind: key.keyID), \(bind: key.publicKeyPEM),
                \(bind: key.privateKeyPEM))
            ON CONFLICT (account_id) DO NOTHING
            """
        ).run()
    }

    /// The key of an account.
    package func accountKey(of account: Account.ID) async throws -> AccountKey? {
        try await self.sql.raw("SELECT * FROM account_keys WHERE account_id = \(bind: account.rawValue)").first()?
            .decode(model: AccountKeyRow.self).key
    }

    /// The key with this id (a `publicKey.id` such as `https://host/users/bob#main-key`).
    package func accountKey(keyID: String) async throws -> AccountKey? {
        try await self.sql.raw("SELECT * FROM account_keys WHERE key_id = \(bind: keyID)").first()?
            .decode(model: AccountKeyRow.self).key
    }

    /// A server-level key pair by name (`instance_actor`): (public, private) PEM.
    package func serverKey(name: String) async throws -> (publicKey: String, privateKey: String)? {
        guard
            let row = try await self.sql.raw(
                "SELECT public_key, private_key FROM server_keys WHERE name = \(bind: name)"
            ).first()
        else { return nil }
        return (
            try row.decode(column: "public_key", as: String.self),
            try row.decode(column: "private_key", as: String.self)
        )
    }

    /// Stores a server-level key pair unless one with this name exists (the first process to start wins).
    package func insertServerKey(name: String, publicKey: String, privateKey: String) async throws {
        try await self.sql.raw(
            """
            INSERT INTO server_keys (name, public_key, private_key, created_at)
            VALUES (\(bind: name), \(bind: publicKey), \(bind: privateKey), \(bind: self.nowMillis))
            ON CONFLICT (name) DO NOTHING
            """
        ).run()
    }

    // MARK: Delivery targets

    /// The distinct inboxes (shared ones where the actor has one) of an account's remote followers.
    package func followerInboxes(of account: Account.ID) async throws -> [String] {
        try await self.sql.raw(
            """
            SELECT DISTINCT COALESCE(a.shared_inbox_url, a.inbox_url) AS inbox
            FROM follows f JOIN accounts a ON a.id = f.account_id
            WHERE f.target_account_id = \(bind: account.rawValue) AND a.domain IS NOT NULL
                AND a.suspended_at IS NULL AND COALESCE(a.shared_inbox_url, a.inbox_url) IS NOT NULL
            """
        ).all().map { try $0.decode(column: "inbox", as: String.self) }
    }

    /// The delivery inbox of every remote account this server knows and has not suspended, each once.
    package func knownInboxes() async throws -> [String] {
        try await self.sql.raw(
            """
            SELECT DISTINCT COALESCE(shared_inbox_url, inbox_url) AS inbox FROM accounts
            WHERE domain IS NOT NULL AND suspended_at IS NULL AND COALESCE(shared_inbox_url, inbox_url) IS NOT NULL
            """
        ).all().map { try $0.decode(column: "inbox", as: String.self) }
    }

    /// Whether any remote account follows `account` (one index probe), so local-only posts enqueue nothing.
    package func hasRemoteFollowers(_ account: Account.ID) async throws -> Bool {
        try await self.sql.raw(
            """
            SELECT 1 AS one FROM follows f JOIN accounts a ON a.id = f.account_id
            WHERE f.target_account_id = \(bind: account.rawValue) AND a.domain IS NOT NULL LIMIT 1
            """
        ).first() != nil
    }

    // MARK: Relationship URIs

    /// Records the ActivityPub id of a follow (the Follow activity's id).
    package func setFollowURI(from account: Account.ID, to target: Account.ID, uri: String) async throws {
        try await self.sql.raw(
            """
            UPDATE follows SET uri = \(bind: uri)
            WHERE account_id = \(bind: account.rawValue) AND target_account_id = \(bind: target.rawValue)
            """
        ).run()
    }

    /// Records the ActivityPub id of a follow request.
    package func setFollowRequestURI(from account: Account.ID, to target: Account.ID, uri: String) async throws {
        try await self.sql.raw(
            """
            UPDATE follow_requests SET uri = \(bind: uri)
            WHERE account_id = \(bind: account.rawValue) AND target_account_id = \(bind: target.rawValue)
            """
        ).run()
    }

    /// The ActivityPub id of a follow or a pending follow request, whichever exists.
    package func followURI(from account: Account.ID, to target: Account.ID) async throws -> String? {
        let row = try await self.sql.raw(
            """
            SELECT uri FROM follows
            WHERE account_id = \(bind: account.rawValue) AND target_account_id = \(bind: target.rawValue)
            UNION ALL
            SELECT uri FROM follow_requests
            WHERE account_id = \(bind: account.rawValue) AND target_account_id = \(bind: target.rawValue)
            """
        ).first()
        return try row?.decode(column: "uri", as: String?.self)
    }

    /// Records the ActivityPub id of a favourite (a remote Like's id).
    package func setFavouriteURI(account: Account.ID, status: Status.ID, uri: String) async throws {
        try await self.sql.raw(
            """
            UPDATE favourites SET uri = \(bind: uri)
            WHERE account_id = \(bind: account.rawValue) AND status_id = \(bind: status.rawValue)
            """
        ).run()
    }

    // MARK: Statuses

    /// The status whose ActivityPub id is `uri`.
    package func status(uri: String) async throws -> Status? {
        try await self.statuses("SELECT \(unsafeRaw: StatusRow.columnList) FROM statuses WHERE uri = \(bind: uri)")
            .first
    }

    // MARK: Peers

    /// Notes hosts as known (for `/api/v1/instance/peers`); known ones are left alone.
    package func recordPeers(_ domains: [String]) async throws {
        for domain in Set(domains.map { $0.lowercased() }) {
            try await self.sql.raw(
                """
                INSERT INTO peers (domain, first_seen_at) VALUES (\(bind: domain), \(bind: self.nowMillis))
                ON CONFLICT (domain) DO NOTHING
                """
            ).run()
        }
    }

    /// The delivery health of a host, if known.
    package func peer(_ domain: String) async throws -> Peer? {
        guard
            let row = try await self.sql.raw(
                "SELECT domain, failing_since, failures, unavailable FROM peers WHERE domain = \(bind: domain.lowercased())"
            ).first()
        else { return nil }
        return Peer(
            domain: try row.decode(column: "domain", as: String.self),
            failingSince: try row.decode(column: "failing_since", as: Int64?.self).map(
                Date.init(millisecondsSince1970:)
            ),
            failures: try row.decode(column: "failures", as: Int.self),
            unavailable: try row.decode(column: "unavailable", as: Bool.self)
        )
    }

    /// The hosts among `domains` marked unavailable.
    package func unavailablePeers(among domains: [String]) async throws -> Set<String> {
        guard !domains.isEmpty else { return [] }
        return Set(
            try await self.sql.select().column("domain").from("peers")
                .where("domain", .in, Set(domains.map { $0.lowercased() }).sorted())
                .where("unavailable", .equal, true)
                .all().map { try $0.decode(column: "domain", as: String.self) }
        )
    }

    /// Records a failed delivery; marks the host unavailable once it has failed for `unavailableAfter`.
    package func recordDeliveryFailure(domain: String, unavailableAfter: TimeInterval) async throws {
        let now = self.nowMillis
        let threshold = now - Int64(unavailableAfter * 1000)
        try await self.sql.raw(
            """
            INSERT INTO peers (domain, first_seen_at, failing_since, failures)
            VALUES (\(bind: domain.lowercased()), \(bind: now), \(bind: now), 1)
            ON CONFLICT (domain) DO UPDATE SET failures = peers.failures + 1,
                failing_since = COALESCE(peers.failing_since, excluded.failing_since),
                unavailable = (COALESCE(peers.failing_since, excluded.failing_since) <= \(bind: threshold))
            """
        ).run()
    }

    /// Clears a host's failures: a delivery to it succeeded, or it sent us a signed request.
    package func recordPeerAlive(domain: String) async throws {
        try await self.sql.raw(
            """
            INSERT INTO peers (domain, first_seen_at, last_success_at)
            VALUES (\(bind: domain.lowercased()), \(bind: self.nowMillis), \(bind: self.nowMillis))
            ON CONFLICT (domain) DO UPDATE SET failing_since = NULL, failures = 0, unavailable = FALSE,
                last_success_at = excluded.last_success_at
            """
        ).run()
    }
}
