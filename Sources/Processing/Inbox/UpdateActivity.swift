import Core
import Federation
import Foundation
import Storage

extension InboxProcessor {
    /// `Update` of the signer's own actor (its profile) or of one of its notes (an edit, kept in history).
    func update(_ activity: JSON, signer: Account) async throws {
        guard let object = activity["object"], let id = object.id else {
            throw InboxRejection("Update without an object")
        }
        try self.requireSameHost(id, as: signer, "object")
        if id == signer.uri {
            guard object.object != nil else { throw InboxRejection("Update of an actor by reference") }
            try await self.context.federation.resolver.store(object, from: signer.uri)
            return
        }
        guard let note = RemoteNote.parse(object) else { throw InboxRejection("Update of an unsupported object") }
        guard note.attributedTo == signer.uri else { throw InboxRejection("Update of someone else's note") }
        guard let existing = try await self.db.read({ try await $0.status(uri: note.uri) }) else {
            // An edit of a note we never saw: nothing to update (Mastodon ignores it too).
            return
        }
        guard existing.accountID == signer.id, !existing.isReblog else {
            throw InboxRejection("Update of a status the signer does not own")
        }
        if let poll = note.poll {
            try await self.db.transaction {
                try await $0.updateRemotePollCounts(status: existing.id, counts: poll.counts, voters: poll.voters)
            }
            // A Question updated for its counts only is no edit.
            if note.content == existing.content && note.spoilerText == existing.spoilerText { return }
        }
        let visibility = Audience.visibility(to: note.to, cc: note.cc, followers: signer.endpoints.followers)
        guard Self.rank(visibility) <= Self.rank(existing.visibility) else {
            throw InboxRejection("Update may not widen a status's audience")
        }
        let editedAt = note.updated ?? self.context.clock.now()
        if let previous = existing.editedAt, editedAt <= previous { return }  // an older or repeated edit
        var changed = existing
        changed.content = note.content
        changed.spoilerText = note.spoilerText
        changed.sensitive = note.sensitive
        changed.language = note.language ?? existing.language
        changed.editedAt = editedAt
        let mentioned = try await self.db.read { try await $0.accounts(uris: note.mentions) }
        let changedStatus = changed
        try await self.db.transaction { session in
            try await StatusProcessor.recordEdit(
                of: existing,
                to: changedStatus,
                mentions: mentioned.map(\.id),
                tags: note.hashtags,
                at: editedAt,
                ids: self.context.ids,
                in: session
            )
        }
    }

    /// Narrower audiences rank lower: public 3, unlisted 2, private 1, direct 0.
    static func rank(_ visibility: Visibility) -> Int {
        switch visibility {
        case .public: 3
        case .unlisted: 2
        case .private: 1
        case .direct: 0
        }
    }
}
