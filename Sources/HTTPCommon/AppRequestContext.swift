import Core
import Hummingbird

/// The request context of every route: Hummingbird's core storage plus who is calling.
package struct AppRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// Set by the bearer-token middleware when the request carries a valid token.
    package var viewer: Viewer?

    package init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    /// Bodies larger than this are refused with 413 before they are decoded.
    package var maxUploadSize: Int { 1_048_576 }

    /// JSON as Mastodon writes it: snake_case keys, ISO 8601 dates with milliseconds.
    package var responseEncoder: MastodonJSONEncoder { MastodonJSONEncoder() }
}
