import Core
import Foundation
import Hummingbird

/// An invite link as `/api/v1/invites` shows it to its maker. Mastodon has no such entity; the fields
/// are its `Invite` model's, plus the link and whether it still works.
struct InviteEntity: ResponseEncodable, Sendable {
    let id: String
    let code: String
    let url: String
    let uses: Int
    @Nullable var maxUses: Int?
    @Nullable var expiresAt: Date?
    let expired: Bool
    let autofollow: Bool
    @Nullable var comment: String?
    let createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, code, url, uses, expired, autofollow, comment
        case maxUses = "max_uses"
        case expiresAt = "expires_at"
        case createdAt = "created_at"
    }

    init(_ invite: Invite, urls: URLBuilder, now: Date) {
        self.id = String(invite.id)
        self.code = invite.code
        self.url = urls.invite(invite.code)
        self.uses = invite.uses
        self.maxUses = invite.maxUses
        self.expiresAt = invite.expiresAt
        self.expired = !invite.isUsable(at: now)
        self.autofollow = invite.autofollow
        self.comment = invite.comment
        self.createdAt = invite.createdAt
    }
}
