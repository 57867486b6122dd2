import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport

/// The password every account in these tests signs in with.
let testPassword = "correct horse 1"

/// The out-of-band redirect URI clients register when they have no callback.
let outOfBand = "urn:ietf:wg:oauth:2.0:oob"

/// The fields of a form request, with a bearer token when one is given.
func formHeaders(token: String? = nil) -> HTTPFields {
    if let token { return .bearer(token, contentType: formType) }
    return .contentType(formType)
}

/// The query items of a URL as name → value.
func queryItems(_ url: String) -> [String: String] {
    var items: [String: String] = [:]
    for item in URLComponents(string: url)?.queryItems ?? [] { items[item.name] = item.value ?? "" }
    return items
}

/// A client registered through `POST /api/v1/apps`.
struct RegisteredApp: Sendable {
    let clientID: String
    let clientSecret: String
}

extension TestApp {
    /// Registers an application through the API and returns its credentials.
    func registerApp(
        _ client: any TestClientProtocol,
        name: String = "Test client",
        scopes: String = "read write",
        redirect: String = outOfBand
    ) async throws -> RegisteredApp {
        let body = formBody([("client_name", name), ("redirect_uris", redirect), ("scopes", scopes)])
        let response = try await client.execute(uri: "/api/v1/apps", method: .post, headers: formHeaders(), body: body)
        guard response.status == .ok, let id = response.json["client_id"] as? String,
            let secret = response.json["client_secret"] as? String
        else { throw TestFailure("app registration answered \(response.status): \(response.text)") }
        return RegisteredApp(clientID: id, clientSecret: secret)
    }

    /// An application token (client credentials) of a freshly registered "read write" app.
    func appToken(_ client: any TestClientProtocol, scopes: String = "read write") async throws -> String {
        let app = try await self.registerApp(client, scopes: scopes)
        let body = formBody([
            ("grant_type", "client_credentials"), ("client_id", app.clientID), ("client_secret", app.clientSecret),
            ("scope", scopes),
        ])
        let response = try await client.execute(uri: "/oauth/token", method: .post, headers: formHeaders(), body: body)
        guard response.status == .ok, let token = response.json["access_token"] as? String else {
            throw TestFailure("client_credentials answered \(response.status): \(response.text)")
        }
        return token
    }

    /// A password-grant token for `username` through `POST /oauth/token`.
    func passwordToken(
        _ client: any TestClientProtocol,
        app: RegisteredApp,
        username: String,
        scope: String = "read write"
    ) async throws -> String {
        let response = try await client.execute(
            uri: "/oauth/token",
            method: .post,
            headers: formHeaders(),
            body: formBody([
                ("grant_type", "password"), ("client_id", app.clientID), ("client_secret", app.clientSecret),
                ("username", username), ("password", testPassword), ("scope", scope),
            ])
        )
        guard response.status == .ok, let token = response.json["access_token"] as? String else {
            throw TestFailure("password grant answered \(response.status): \(response.text)")
        }
        return token
    }
}

/// `GET /api/v1/accounts/verify_credentials` with `token`.
func verifyCredentials(_ client: any TestClientProtocol, _ token: String) async throws -> TestResponse {
    try await client.execute(uri: "/api/v1/accounts/verify_credentials", method: .get, headers: .bearer(token))
}

extension TestApp {
    /// `run` with a registration mode other than open.
    static func run<T: Sendable>(
        _ database: TestDatabase,
        clock: Clock = .system,
        registrations: RegistrationMode,
        _ body: @Sendable (TestApp) async throws -> T
    ) async throws -> T {
        try await Self.run(database, clock: clock, configure: { $0.instance.registrations = registrations }, body)
    }

    /// `run` with handles on `accountDomain` while the server is served from `tern.test`.
    static func run<T: Sendable>(
        _ database: TestDatabase,
        accountDomain: String,
        _ body: @Sendable (TestApp) async throws -> T
    ) async throws -> T {
        try await Self.run(database, configure: { $0.accountDomain = accountDomain }, body)
    }
}
