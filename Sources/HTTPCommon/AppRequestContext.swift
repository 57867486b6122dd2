import Core
import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's core storage plus who is calling.
package struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    package var coreContext: CoreRequestContextStorage
    /// The client's address (nil in router tests).
    package let remoteAddress: SocketAddress?
    /// Set by the bearer-token middleware when the request carries a valid token.
    package var viewer: Viewer?

    package init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// Bodies larger than this are refused with 413 before they are decoded.
    package var maxUploadSize: Int { 1_048_576 }

    /// JSON as Mastodon writes it: snake_case keys, ISO 8601 dates with milliseconds.
    package var responseEncoder: MastodonJSONEncoder { MastodonJSONEncoder() }
}
