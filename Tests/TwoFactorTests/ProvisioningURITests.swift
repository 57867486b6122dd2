import Foundation
import Testing
import TwoFactor

@Suite struct ProvisioningURITests {
    let totp = TOTP(secret: Array("12345678901234567890".utf8))

    @Test("the URI has the label, secret and all parameters of the key URI format")
    func plain() {
        let uri = self.totp.provisioningURI(accountName: "admin", issuer: "Tern")
        #expect(
            uri
                == "otpauth://totp/Tern:admin?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Tern"
                + "&algorithm=SHA1&digits=6&period=30"
        )
    }

    @Test("spaces, @, non-ASCII and a colon in the issuer are percent-encoded")
    func encoding() throws {
        let uri = self.totp.provisioningURI(accountName: "zoë user@tern.example", issuer: "Tern: Staging")
        #expect(
            uri
                == "otpauth://totp/Tern%3A%20Staging:zo%C3%AB%20user%40tern.example"
                + "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Tern%3A%20Staging"
                + "&algorithm=SHA1&digits=6&period=30"
        )
        let components = try #require(URLComponents(string: uri))
        #expect(components.scheme == "otpauth")
        #expect(components.host == "totp")
        #expect(components.path == "/Tern: Staging:zoë user@tern.example")
        let items = try #require(components.queryItems)
        #expect(items.first { $0.name == "issuer" }?.value == "Tern: Staging")
        #expect(items.first { $0.name == "secret" }?.value == self.totp.base32Secret)
    }

    @Test("reserved query characters in the issuer cannot add parameters")
    func queryInjection() throws {
        let uri = self.totp.provisioningURI(accountName: "a+b", issuer: "X&secret=AAAA#frag")
        let components = try #require(URLComponents(string: uri))
        #expect(components.fragment == nil)
        let items = try #require(components.queryItems)
        #expect(items.filter { $0.name == "secret" }.map(\.value) == [self.totp.base32Secret])
        #expect(items.first { $0.name == "issuer" }?.value == "X&secret=AAAA#frag")
        #expect(uri.contains("a%2Bb"))
    }

    @Test("other algorithms, digits and periods are written out; an empty issuer is left out")
    func parameters() {
        let totp = TOTP(secret: [0xFF, 0x00], digits: 8, period: 60, algorithm: .sha512)
        #expect(
            totp.provisioningURI(accountName: "admin", issuer: "")
                == "otpauth://totp/admin?secret=74AA&algorithm=SHA512&digits=8&period=60"
        )
    }
}
