import Core
import Foundation
import Storage

extension ImportProcessor {
    /// The job: removes what an overwrite replaces (once), then applies the rows from where the last run
    /// stopped, recording progress every few rows. Every step is idempotent, so a run cut short by a crash
    /// is simply run again.
    func run(_ id: DataImport.ID) async throws {
        guard var value = try await self.context.db.read({ try await $0.dataImport(id: id) }),
            value.state != .finished
        else { return }
        let owner = try await self.context.db.read { try await $0.account(id: value.accountID) }
        guard let owner, owner.isLocal, !owner.isSuspended else {
            value.state = .finished
            value.finishedAt = self.context.clock.now()
            try await self.context.db.transaction { try await $0.updateImportProgress(value) }
            return
        }
        if value.state == .scheduled {
            if value.mode == .overwrite { try await self.removeUnlisted(value) }
            value.state = .running
            try await self.context.db.transaction { [value] in try await $0.updateImportProgress(value) }
        }
        var lists: [String: AccountList.ID] = [:]
        while value.processed < value.rows.count {
            let end = min(value.processed + Self.chunk, value.rows.count)
            for row in value.rows[value.processed..<end] {
                do {
                    try await self.apply(value.kind, row, by: owner.id, lists: &lists)
                    value.imported += 1
                } catch {
                    value.failed += 1
                    if value.failures.count < Self.keptFailures {
                        let reason = (error as? DomainError)?.userMessage ?? "could not be reached"
                        value.failures.append("\(row.first(where: { !$0.isEmpty }) ?? "?"): \(reason)")
                    }
                }
            }
            value.processed = end
            try await self.context.db.transaction { [value] in try await $0.updateImportProgress(value) }
        }
        value.state = .finished
        value.finishedAt = self.context.clock.now()
        try await self.context.db.transaction { [value] in try await $0.updateImportProgress(value) }
    }

    private func apply(
        _ kind: DataImport.Kind,
        _ row: [String],
        by viewer: Account.ID,
        lists: inout [String: AccountList.ID]
    ) async throws {
        let follows = FollowProcessor(self.context)
        switch kind {
        case .following:
            let target = try await self.account(row[0])
            let languages = row[3].isEmpty ? nil : row[3].split(separator: ",").map(String.init)
            _ = try await follows.follow(
                target,
                by: viewer,
                reblogs: row[1] == "true",
                notify: row[2] == "true",
                languages: languages
            )
        case .blocks:
            _ = try await follows.block(try await self.account(row[0]), by: viewer)
        case .domainBlocks:
            try await follows.blockDomain(row[0], by: viewer)
        case .mutes:
            _ = try await follows.mute(
                try await self.account(row[0]),
                by: viewer,
                notifications: row[1] == "true",
                duration: nil
            )
        case .lists:
            let target = try await self.account(row[1])
            let listProcessor = ListProcessor(self.context)
            let listID: AccountList.ID
            if let known = lists[row[0]] {
                listID = known
            } else if let existing = try await listProcessor.lists(of: viewer).first(where: { $0.title == row[0] }) {
                listID = existing.id
            } else {
                listID = try await listProcessor.save(
                    nil,
                    title: row[0],
                    repliesPolicy: nil,
                    exclusive: nil,
                    by: viewer
                ).id
            }
            lists[row[0]] = listID
            // Lists hold followed accounts: follow first (a remote or locked one waits for its Accept).
            let relationship = try await follows.follow(target, by: viewer, reblogs: nil, notify: nil, languages: nil)
            guard relationship.following else {
                throw DomainError.unprocessable("followed, but the follow waits for approval; add it to the list later")
            }
            try await listProcessor.addMembers(listID, accounts: [target], by: viewer)
        case .bookmarks:
            var status = try await self.context.db.read { try await $0.status(uri: row[0]) }
            if status == nil, !self.context.urls.isLocal(row[0]) {
                status = try? await InboxProcessor(self.context).fetchNote(row[0], parentFetches: 0)
            }
            guard let status else { throw DomainError.unprocessable("the post was not found") }
            _ = try await StatusProcessor(self.context, accounts: AccountProcessor(self.context))
                .bookmark(status.id, by: viewer, on: true)
        }
    }

    /// An account by `user@host`, fetched through WebFinger when this server does not know it yet.
    private func account(_ acct: String) async throws -> Account.ID {
        do {
            return try await AccountProcessor(self.context).lookup(acct: acct, resolve: true).account.id
        } catch DomainError.notFound {
            throw DomainError.unprocessable("no such account")
        }
    }

    /// Overwrite: undoes the follows, blocks, mutes and bookmarks the file does not list; lists are
    /// replaced whole (every list of the person goes, the file's are made again).
    private func removeUnlisted(_ value: DataImport) async throws {
        let viewer = value.accountID
        let follows = FollowProcessor(self.context)
        let urls = self.context.urls
        func key(_ username: String, _ host: String?) -> String {
            urls.handle(username: username, domain: host).lowercased()
        }
        func key(_ acct: String) -> String {
            let parts = acct.split(separator: "@", maxSplits: 1).map(String.init)
            return key(parts[0], parts.count == 2 ? parts[1] : nil)
        }
        let wanted = Set(value.rows.map { key($0[0]) })
        let current: [(id: Account.ID, username: String, domain: String?)]
        switch value.kind {
        case .following:
            current = try await self.context.db.read { try await $0.followingForExport(viewer) }.map {
                ($0.accountID, $0.username, $0.domain)
            }
        case .blocks, .mutes:
            current = try await self.context.db.read {
                try await $0.relationsForExport(viewer, mutes: value.kind == .mutes)
            }.map { ($0.accountID, $0.username, $0.domain) }
        case .domainBlocks:
            let kept = Set(value.rows.map { $0[0] })
            for domain in try await self.context.db.read({ try await $0.accountDomainBlocksForExport(viewer) })
            where !kept.contains(domain) {
                try await follows.unblockDomain(domain, by: viewer)
            }
            return
        case .lists:
            let listProcessor = ListProcessor(self.context)
            for list in try await listProcessor.lists(of: viewer) {
                try await listProcessor.delete(list.id, by: viewer)
            }
            return
        case .bookmarks:
            let statuses = StatusProcessor(self.context, accounts: AccountProcessor(self.context))
            let kept = Set(value.rows.map { $0[0] })
            for uri in try await self.context.db.read({ try await $0.statusURIsForExport(viewer, favourites: false) })
            where !kept.contains(uri) {
                if let status = try await self.context.db.read({ try await $0.status(uri: uri) }) {
                    _ = try await statuses.bookmark(status.id, by: viewer, on: false)
                }
            }
            return
        }
        for entry in current where !wanted.contains(key(entry.username, entry.domain)) {
            switch value.kind {
            case .following: _ = try await follows.unfollow(entry.id, by: viewer)
            case .blocks: _ = try await follows.unblock(entry.id, by: viewer)
            default: _ = try await follows.unmute(entry.id, by: viewer)
            }
        }
    }
}
