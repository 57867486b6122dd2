import Core
import Foundation
import Storage

extension FollowProcessor {
    /// Blocks a whole domain for the viewer, as Mastodon's `POST /api/v1/domain_blocks` does: nothing from
    /// its accounts shows in the viewer's timelines or notifications, followers from it are removed, and
    /// new follows of its accounts are refused (existing ones stay).
    package func blockDomain(_ text: String, by viewer: Account.ID) async throws {
        let domain = try self.checkedDomain(text)
        try await self.context.db.transaction { session in
            guard
                try await session.insertAccountDomainBlock(id: self.context.ids.next(), account: viewer, domain: domain)
            else { return }
            _ = try await session.removeFollowers(of: viewer, onDomain: domain)
        }
    }

    /// Lifts a domain block (nothing happens when there was none).
    package func unblockDomain(_ text: String, by viewer: Account.ID) async throws {
        let domain = try self.checkedDomain(text)
        _ = try await self.context.db.transaction {
            try await $0.deleteAccountDomainBlock(account: viewer, domain: domain)
        }
    }

    /// A page of the viewer's blocked domains, newest first.
    package func blockedDomains(of viewer: Account.ID, page: PageRequest) async throws -> [(Int64, String)] {
        try await self.context.db.read { try await $0.accountDomainBlocks(of: viewer, page: page) }
    }

    /// A host name, lowercased; this server's own domain cannot be blocked.
    func checkedDomain(_ text: String) throws -> String {
        let domain = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !domain.isEmpty else { throw DomainError.validation("Validation failed: Domain can't be blank") }
        guard Validation.isPlausibleHost(domain), domain.count <= 253 else {
            throw DomainError.validation("Validation failed: Domain is not a valid domain name")
        }
        let urls = self.context.urls
        guard domain != urls.domain.lowercased(), domain != urls.accountDomain.lowercased() else {
            throw DomainError.validation("Validation failed: Domain cannot be this server's own")
        }
        return domain
    }
}
