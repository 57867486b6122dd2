import Core
import Federation
import Foundation
import HTTPCommon
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization

/// An in-process network of Tern instances for federation tests: a request to an instance's domain
/// runs through that instance's router, with no sockets. Hosts can be taken down and brought back.
package final class LoopbackNetwork: HTTPTransport {
    private let hosts = Mutex<[String: RouterResponder<AppRequestContext>]>([:])
    private let down = Mutex<Set<String>>([])
    private let log = Mutex<[(method: String, url: String, status: Int)]>([])

    package init() {}

    /// Makes `domain` reachable through `responder`.
    package func attach(_ domain: String, _ responder: RouterResponder<AppRequestContext>) {
        self.hosts.withLock { $0[domain.lowercased()] = responder }
    }

    /// Takes a host off the network (connections fail) or brings it back.
    package func setDown(_ domain: String, _ isDown: Bool) {
        self.down.withLock { if isDown { $0.insert(domain.lowercased()) } else { $0.remove(domain.lowercased()) } }
    }

    /// Every request sent so far: method, URL and the answer's status (0 when it never connected).
    package var requests: [(method: String, url: String, status: Int)] { self.log.withLock { $0 } }

    package func send(_ request: OutboundRequest, limits: TransportLimits) async throws -> OutboundResponse {
        let authority = URLBuilder.authority(of: request.url.absoluteString) ?? ""
        let responder = self.hosts.withLock { $0[authority] }
        guard let responder, !self.down.withLock({ $0.contains(authority) }) else {
            self.log.withLock { $0.append((request.method, request.url.absoluteString, 0)) }
            throw TransportError.connectFailed("\(authority) is not reachable")
        }
        var fields = HTTPFields()
        // The router test framework fixes the authority to "localhost": the Host field carries ours.
        fields.append(HTTPField(name: HTTPField.Name("Host")!, value: authority))
        for header in request.headers {
            guard let name = HTTPField.Name(header.name) else { continue }
            fields.append(HTTPField(name: name, value: header.value))
        }
        let target = OutboundRequest.target(of: request.url)
        let method = HTTPRequest.Method(request.method) ?? .get
        let body = request.body.map { ByteBuffer(bytes: $0) }
        let application = Application(responder: responder)
        let targetPath = target
        let headerFields = fields
        let response = try await application.test(.router) { client in
            try await client.execute(uri: targetPath, method: method, headers: headerFields, body: body) { response in
                OutboundResponse(
                    status: Int(response.status.code),
                    headers: response.headers.map { (name: $0.name.canonicalName, value: $0.value) },
                    body: Data(buffer: response.body),
                    finalURL: request.url
                )
            }
        }
        self.log.withLock { $0.append((request.method, request.url.absoluteString, response.status)) }
        return response
    }
}

/// RSA key pairs made once per test process and handed out in turn: a 2048-bit key costs about 100 ms
/// (much more in a debug build). Tests that need a key nobody else has make one themselves.
package final class PooledKeyPairs: KeyPairMaker {
    package static let shared = PooledKeyPairs(size: 4)
    private let size: Int
    private let state = Mutex<(keys: [RSAKeyPair], next: Int)>(([], 0))

    init(size: Int) {
        self.size = size
    }

    package func make() throws -> RSAKeyPair {
        if let key = self.state.withLock({ state -> RSAKeyPair? in
            guard state.keys.count >= self.size else { return nil }
            defer { state.next += 1 }
            return state.keys[state.next % state.keys.count]
        }) {
            return key
        }
        let key = try RSAKeyPair.generate()
        self.state.withLock { if $0.keys.count < self.size { $0.keys.append(key) } }
        return key
    }
}
