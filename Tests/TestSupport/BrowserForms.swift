import Foundation
import HTTPTypes
import HummingbirdTesting

/// The `Set-Cookie` values of a response as name → value (attributes dropped).
package func setCookies(_ response: TestResponse) -> [String: String] {
    var cookies: [String: String] = [:]
    for header in response.headers[values: .setCookie] {
        let pair = header.split(separator: ";", maxSplits: 1)[0]
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { continue }
        cookies[parts[0].trimmingCharacters(in: .whitespaces)] = String(parts[1])
    }
    return cookies
}

/// A `Cookie` header carrying `cookies`, plus a form content type.
package func cookieHeaders(_ cookies: [String: String], form: Bool = false) -> HTTPFields {
    var fields = HTTPFields()
    fields[.cookie] = cookies.keys.sorted().map { "\($0)=\(cookies[$0] ?? "")" }.joined(separator: "; ")
    if form { fields[.contentType] = "application/x-www-form-urlencoded" }
    return fields
}
