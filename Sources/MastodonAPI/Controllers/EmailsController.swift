import Core
import HTTPCommon
import Hummingbird
import Processing

/// `POST /api/v1/emails/confirmations` — https://docs.joinmastodon.org/methods/emails/
/// Resends the confirmation mail to a user who signed up through an app and has not confirmed yet,
/// optionally to a corrected address. The only call such a token may make besides verify_credentials.
struct EmailsController {
    let credentials: CredentialsProcessor

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("emails/confirmations", use: self.resend)
    }

    @Sendable func resend(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try context.require(scope: "write:accounts")
        guard let userID = viewer.userID else {
            throw DomainError.unprocessable("This method requires an authenticated user")
        }
        if viewer.state == .disabled { throw DomainError.forbidden("Your login is currently disabled") }
        let params = try await request.parameters(context: context)
        try await self.credentials.resendConfirmation(userID: userID, email: try params.string("email"))
        return MastodonErrorMiddleware.json(.ok, [:])
    }
}
