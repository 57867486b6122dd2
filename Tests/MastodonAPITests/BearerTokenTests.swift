import Testing

@testable import MastodonAPI

/// `BearerAuthMiddleware.bearerToken`: the token of an `Authorization` value, read byte by byte.
@Suite struct BearerTokenTests {
    @Test("the Bearer scheme in any case, then spaces or tabs, gives the token without the blanks around it")
    func bearer() {
        #expect(BearerAuthMiddleware.bearerToken("Bearer abc.DEF-123") == "abc.DEF-123")
        #expect(BearerAuthMiddleware.bearerToken("bEaReR abc") == "abc")
        #expect(BearerAuthMiddleware.bearerToken("Bearer \t abc \t") == "abc")
        #expect(BearerAuthMiddleware.bearerToken("Bearer a b") == "a b")
        #expect(BearerAuthMiddleware.bearerToken("Bearer   ") == "")
    }

    @Test("another scheme, no blank after the scheme, or a scheme cut short is no token")
    func notBearer() {
        for value in ["Token abc", "Basic YWxhZGRpbjpvcGVuc2VzYW1l", "Bearerabc", "Bearer", "Bear", "", "Béarer abc"] {
            #expect(BearerAuthMiddleware.bearerToken(value) == nil, "\(value)")
        }
    }
}
