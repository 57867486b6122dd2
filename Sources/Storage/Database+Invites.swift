import Core
import Foundation
import SQLKit

/// An `invites` row as stored.
struct InviteRow: Decodable {
    var id: Int64
    var userId: Int64
    var code: String
    var maxUses: Int?
    var uses: Int
    var expiresAt: Int64?
    var autofollow: Bool
    var comment: String?
    var createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, code, uses, autofollow, comment
        case userId = "user_id"
        case maxUses = "max_uses"
        case expiresAt = "expires_at"
        case createdAt = "created_at"
    }

    var invite: Invite {
        Invite(
            id: Invite.ID(self.id),
            userID: User.ID(self.userId),
            code: self.code,
            maxUses: self.maxUses,
            uses: self.uses,
            expiresAt: self.expiresAt.map(Date.init(millisecondsSince1970:)),
            autofollow: self.autofollow,
            comment: self.comment,
            createdAt: Date(millisecondsSince1970: self.createdAt)
        )
    }
}

extension DBSession {
    /// Stores a new invite. Throws `StorageError.duplicate` if the code is taken (vanishingly unlikely).
    package func insertInvite(_ invite: Invite) async throws {
        try await self.sql.raw(
            """
            INSERT INTO invites (id, user_id, code, max_uses, uses, expires_at, autofollow, comment, created_at)
            VALUES (\(bind: invite.id.rawValue), \(bind: invite.userID.rawValue), \(bind: invite.code),
                \(bind: invite.maxUses), \(bind: invite.uses), \(bind: invite.expiresAt?.millisecondsSince1970),
                \(bind: invite.autofollow), \(bind: invite.comment), \(bind: invite.createdAt.millisecondsSince1970))
            """
        ).run()
    }

    /// The invite with this code, usable or not.
    package func invite(code: String) async throws -> Invite? {
        try await self.sql.raw("SELECT * FROM invites WHERE code = \(bind: code)").first()?
            .decode(model: InviteRow.self).invite
    }

    /// The invite with this id.
    package func invite(id: Invite.ID) async throws -> Invite? {
        try await self.sql.raw("SELECT * FROM invites WHERE id = \(bind: id.rawValue)").first()?
            .decode(model: InviteRow.self).invite
    }

    /// Invites made by one user, or by anyone when `userID` is nil; newest first.
    package func invites(userID: User.ID?, limit: Int = 200) async throws -> [Invite] {
        var sql = SQLQueryString("SELECT * FROM invites")
        if let userID {
            sql.appendLiteral(" WHERE user_id = ")
            sql.appendInterpolation(bind: userID.rawValue)
        }
        sql.appendLiteral(" ORDER BY id DESC LIMIT ")
        sql.appendInterpolation(bind: max(1, limit))
        return try await self.sql.raw(sql).all().map { try $0.decode(model: InviteRow.self).invite }
    }

    /// Makes an invite stop working now (Mastodon's "expire"); false if it was already expired.
    package func expireInvite(_ id: Invite.ID, at now: Date) async throws -> Bool {
        let millis = now.millisecondsSince1970
        let rows = try await self.sql.raw(
            """
            UPDATE invites SET expires_at = \(bind: millis)
            WHERE id = \(bind: id.rawValue) AND (expires_at IS NULL OR expires_at > \(bind: millis))
            RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    /// Counts one sign-up against an invite and records it on the user, if the invite is still usable at
    /// `now`. One conditional UPDATE, so two sign-ups racing for the last use cannot both succeed.
    package func useInvite(_ id: Invite.ID, by userID: User.ID, at now: Date) async throws -> Bool {
        let millis = now.millisecondsSince1970
        let rows = try await self.sql.raw(
            """
            UPDATE invites SET uses = uses + 1
            WHERE id = \(bind: id.rawValue) AND (expires_at IS NULL OR expires_at > \(bind: millis))
                AND (max_uses IS NULL OR uses < max_uses)
            RETURNING id
            """
        ).all()
        guard !rows.isEmpty else { return false }
        try await self.sql.raw("UPDATE users SET invite_id = \(bind: id.rawValue) WHERE id = \(bind: userID.rawValue)")
            .run()
        return true
    }

    /// The invite a user signed up with, if any.
    package func inviteOfUser(_ userID: User.ID) async throws -> Invite? {
        try await self.sql.raw(
            "SELECT i.* FROM invites i JOIN users u ON u.invite_id = i.id WHERE u.id = \(bind: userID.rawValue)"
        ).first()?.decode(model: InviteRow.self).invite
    }
}
