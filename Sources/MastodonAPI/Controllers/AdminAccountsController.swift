import Core
import Foundation
import HTTPCommon
import Hummingbird
import Processing

/// `/api/v1/admin/accounts` and `/api/v2/admin/accounts` for local accounts: list (pending sign-ups
/// among them), show, approve, reject — https://docs.joinmastodon.org/methods/admin/accounts/
/// Admins and moderators only, with the `admin:read:accounts` / `admin:write:accounts` scopes.
struct AdminAccountsController {
    let admin: AdminProcessor
    let urls: URLBuilder

    func addRoutes(v1: RouterGroup<AppRequestContext>, v2: RouterGroup<AppRequestContext>) {
        v1.get("admin/accounts", use: self.listV1)
        v2.get("admin/accounts", use: self.listV2)
        v1.get("admin/accounts/:id", use: self.show)
        v1.post("admin/accounts/:id/approve", use: self.approve)
        v1.post("admin/accounts/:id/reject", use: self.reject)
        v1.post("admin/accounts/:id/action", use: self.action)
        v1.post("admin/accounts/:id/unsuspend", use: self.unsuspend)
        v1.delete("admin/accounts/:id", use: self.delete)
    }

    @Sendable func listV1(_ request: Request, context: AppRequestContext) async throws -> Response {
        let params = try await request.parameters(context: context)
        var filter = AdminAccountsController.Filter()
        filter.pending = try params.bool("pending") == true
        filter.staff = try params.bool("staff") == true
        if try params.bool("remote") == true { return try self.empty(request) }
        return try await self.list(request, context: context, params: params, filter: filter)
    }

    @Sendable func listV2(_ request: Request, context: AppRequestContext) async throws -> Response {
        let params = try await request.parameters(context: context)
        var filter = AdminAccountsController.Filter()
        switch try params.string("status") {
        case nil, "", "active": break
        case "pending": filter.pending = true
        case "disabled", "silenced", "suspended": return try self.empty(request)
        case let other?: throw DomainError.validation("Unknown status \(other)")
        }
        if try params.string("origin") == "remote" { return try self.empty(request) }
        filter.staff = try params.string("permissions") == "staff"
        return try await self.list(request, context: context, params: params, filter: filter)
    }

    private func list(
        _ request: Request,
        context: AppRequestContext,
        params: RequestParameters,
        filter: Filter
    ) async throws -> Response {
        _ = try await self.staff(context, scope: "admin:read:accounts")
        let page = try Pagination.page(params, default: 100, max: 200)
        var query = LocalAccountQuery(limit: page.limit)
        query.pendingOnly = filter.pending
        query.staffOnly = filter.staff
        query.usernameContains = try params.string("username").flatMap { $0.isEmpty ? nil : $0 }
        query.emailContains = try params.string("email").flatMap { $0.isEmpty ? nil : $0 }
        query.maxID = page.maxID
        query.sinceID = page.sinceID ?? page.minID
        let found = try await self.admin.accounts(query)
        return try Pagination.response(
            found.map { AdminAccountEntity($0.0, $0.1, urls: self.urls) },
            newestID: found.first?.0.id.rawValue,
            oldestID: found.last?.0.id.rawValue,
            request: request,
            urls: self.urls
        )
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> AdminAccountEntity {
        _ = try await self.staff(context, scope: "admin:read:accounts")
        let (account, user) = try await self.admin.localAccount(try Self.id(context))
        return AdminAccountEntity(account, user, urls: self.urls)
    }

    @Sendable func approve(_ request: Request, context: AppRequestContext) async throws -> AdminAccountEntity {
        _ = try await self.staff(context, scope: "admin:write:accounts")
        let id = try Self.id(context)
        try await self.admin.approve(accountID: id)
        let (account, user) = try await self.admin.localAccount(id)
        return AdminAccountEntity(account, user, urls: self.urls)
    }

    /// Answers the account as it was: it no longer exists afterwards.
    @Sendable func reject(_ request: Request, context: AppRequestContext) async throws -> AdminAccountEntity {
        _ = try await self.staff(context, scope: "admin:write:accounts")
        let id = try Self.id(context)
        let (account, user) = try await self.admin.localAccount(id)
        try await self.admin.reject(id)
        return AdminAccountEntity(account, user, urls: self.urls)
    }

    /// `type=suspend` suspends (its tokens stop working, its sessions end); `none` only records that a
    /// moderator looked. Warnings, silencing, disabling and marking sensitive are not built yet: 422.
    @Sendable func action(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await self.staff(context, scope: "admin:write:accounts")
        let id = try Self.id(context)
        let params = try await request.parameters(context: context)
        switch try params.string("type") {
        case "suspend": try await self.admin.setSuspended(id, true)
        case "none": _ = try await self.admin.localAccount(id)
        case let other?:
            throw DomainError.unprocessable("The action \(other) is not supported; use suspend or none")
        case nil: throw DomainError.validation("type is required")
        }
        return MastodonErrorMiddleware.json(.ok, [:])
    }

    @Sendable func unsuspend(_ request: Request, context: AppRequestContext) async throws -> AdminAccountEntity {
        _ = try await self.staff(context, scope: "admin:write:accounts")
        let id = try Self.id(context)
        try await self.admin.setSuspended(id, false)
        let (account, user) = try await self.admin.localAccount(id)
        return AdminAccountEntity(account, user, urls: self.urls)
    }

    /// Deletes a suspended account's data for good; answers the account as it was.
    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> AdminAccountEntity {
        let viewer = try context.requireUser(scope: "admin:write:accounts")
        let staff = try await self.admin.requireStaff(viewer)
        let id = try Self.id(context)
        let (account, user) = try await self.admin.localAccount(id)
        try await self.admin.deleteAccount(id, by: staff)
        return AdminAccountEntity(account, user, urls: self.urls)
    }

    /// The filters the two list versions spell differently.
    struct Filter {
        var pending = false
        var staff = false
    }

    private func staff(_ context: AppRequestContext, scope: String) async throws -> Viewer {
        let viewer = try context.requireUser(scope: scope)
        _ = try await self.admin.requireStaff(viewer)
        return viewer
    }

    private static func id(_ context: AppRequestContext) throws -> Account.ID {
        guard let id = context.parameters.get("id").flatMap(Int64.init) else { throw DomainError.notFound }
        return Account.ID(id)
    }

    private func empty(_ request: Request) throws -> Response {
        try Pagination.response([AdminAccountEntity](), newestID: nil, oldestID: nil, request: request, urls: self.urls)
    }
}

/// https://docs.joinmastodon.org/entities/Admin_Account/ — for local accounts (no IP addresses are kept).
struct AdminAccountEntity: ResponseEncodable, Sendable {
    struct RoleEntity: Encodable, Sendable {
        let id: String
        let name: String
        let color: String
        let permissions: String
        let highlighted: Bool
    }

    struct IPEntity: Encodable, Sendable {}

    let id: String
    let username: String
    @Nullable var domain: String?
    let createdAt: Date
    let email: String
    @Nullable var ip: String?
    let ips: [IPEntity]
    let locale: String
    @Nullable var inviteRequest: String?
    let role: RoleEntity
    let confirmed: Bool
    let approved: Bool
    let disabled: Bool
    let silenced: Bool
    let suspended: Bool
    let account: AccountEntity
    @Nullable var createdByApplicationID: String?
    @Nullable var invitedByAccountID: String?

    enum CodingKeys: String, CodingKey {
        case id, username, domain
        case createdAt = "created_at"
        case email, ip, ips, locale
        case inviteRequest = "invite_request"
        case role, confirmed, approved, disabled, silenced, suspended, account
        case createdByApplicationID = "created_by_application_id"
        case invitedByAccountID = "invited_by_account_id"
    }

    init(_ account: Account, _ user: User, urls: URLBuilder) {
        self.id = account.id.description
        self.username = account.username
        self.domain = nil
        self.createdAt = account.createdAt
        self.email = user.email
        self.ip = nil
        self.ips = []
        self.locale = user.locale
        self.inviteRequest = user.reason
        // Mastodon's default roles: the permission bit sets of its seeds (Owner has all, 1 = administrator).
        switch user.role {
        case .admin: self.role = RoleEntity(id: "3", name: "Admin", color: "", permissions: "1", highlighted: true)
        case .moderator:
            self.role = RoleEntity(id: "1", name: "Moderator", color: "", permissions: "1308", highlighted: true)
        case .user: self.role = RoleEntity(id: "-99", name: "", color: "", permissions: "65536", highlighted: false)
        }
        self.confirmed = user.confirmedAt != nil
        self.approved = user.approved
        self.disabled = false
        self.silenced = false
        self.suspended = account.isSuspended
        self.account = AccountEntity(AccountView(account: account, user: nil, urls: urls))
        self.createdByApplicationID = nil
        self.invitedByAccountID = nil
    }
}
