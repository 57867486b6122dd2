import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Expects a Mastodon error: the status and a non-empty JSON `error` (containing `fragment` when given).
func expectError(
    _ response: TestResponse,
    _ status: HTTPResponse.Status,
    _ fragment: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
    let error = response.json["error"] as? String
    #expect(error?.isEmpty == false, "no error in \(response.text)", sourceLocation: sourceLocation)
    if let fragment {
        #expect(error?.contains(fragment) == true, "\(error ?? "nil")", sourceLocation: sourceLocation)
    }
}
