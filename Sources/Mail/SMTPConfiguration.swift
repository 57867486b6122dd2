import NIOCore

/// How `SMTPTransport` reaches its relay: address, transport security, credentials and limits.
package struct SMTPConfiguration: Sendable {
    /// Transport security for the connection.
    package enum Security: Sendable, Equatable {
        /// Plain text throughout. Only sensible for a relay on localhost.
        case none
        /// Plain connect, then `STARTTLS` before anything else; a server that does not offer it fails permanently.
        case startTLS
        /// TLS from the first byte ("implicit TLS", usually port 465).
        case tls
    }

    /// How strictly the server certificate is checked.
    package enum CertificateVerification: Sendable, Equatable {
        /// Chain and host name (or IP address, when `host` is one) must match.
        case fullVerification
        /// Chain must be trusted; the name is not checked.
        case noHostnameVerification
        /// Anything is accepted. For tests only.
        case none
    }

    /// Relay host name or IP address.
    package var host: String
    /// Relay port.
    package var port: Int
    /// Transport security.
    package var security: Security
    /// User name for `AUTH`; authentication happens only when both this and `password` are set.
    package var username: String?
    /// Password for `AUTH`.
    package var password: String?
    /// Name sent with `EHLO`/`HELO`, normally this server's domain. Must be printable ASCII without spaces.
    package var heloName: String
    /// Limit for connecting and for each reply (the TLS handshake counts towards the `EHLO` that follows it).
    package var timeout: TimeAmount
    /// Certificate checking for `.startTLS` and `.tls`.
    package var tlsCertificateVerification: CertificateVerification
    /// A PEM file of CA certificates trusted instead of the system roots, e.g. a test's self-signed certificate.
    package var trustRootsPEMPath: String?

    /// Creates a configuration; the port defaults to 25, 587 or 465 according to `security`.
    package init(
        host: String,
        port: Int? = nil,
        security: Security = .startTLS,
        username: String? = nil,
        password: String? = nil,
        heloName: String = "localhost",
        timeout: TimeAmount = .seconds(30),
        tlsCertificateVerification: CertificateVerification = .fullVerification,
        trustRootsPEMPath: String? = nil
    ) {
        self.host = host
        self.port =
            port
            ?? {
                switch security {
                case .none: 25
                case .startTLS: 587
                case .tls: 465
                }
            }()
        self.security = security
        self.username = username
        self.password = password
        self.heloName = heloName
        self.timeout = timeout
        self.tlsCertificateVerification = tlsCertificateVerification
        self.trustRootsPEMPath = trustRootsPEMPath
    }
}
