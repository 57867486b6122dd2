import Core
import Federation
import Foundation
import Logging
import Mail
import Yams

extension AppConfig {
    /// Every setting by its file key, with its environment variable.
    static let settings: [(key: String, env: String)] = [
        ("domain", "TERN_DOMAIN"), ("account_domain", "TERN_ACCOUNT_DOMAIN"), ("listen", "TERN_LISTEN"),
        ("protocol", "TERN_PROTOCOL"), ("database", "TERN_DATABASE"), ("data_dir", "TERN_DATA_DIR"),
        ("registrations", "TERN_REGISTRATIONS"), ("max_chars", "TERN_MAX_CHARS"), ("title", "TERN_TITLE"),
        ("description", "TERN_DESCRIPTION"), ("short_description", "TERN_SHORT_DESCRIPTION"),
        ("contact_email", "TERN_CONTACT_EMAIL"), ("contact_account", "TERN_CONTACT_ACCOUNT"),
        ("rules", "TERN_RULES"), ("source_url", "TERN_SOURCE_URL"), ("log_level", "TERN_LOG_LEVEL"),
        ("bcrypt_cost", "TERN_BCRYPT_COST"), ("jobs", "TERN_JOBS"), ("job_concurrency", "TERN_JOB_CONCURRENCY"),
        ("auth_rate_limit", "TERN_AUTH_RATE_LIMIT"),
        ("federation_allowed_addresses", "TERN_FEDERATION_ALLOWED_ADDRESSES"),
        ("federation_blocked_domains", "TERN_FEDERATION_BLOCKED_DOMAINS"), ("web_app_dir", "TERN_WEB_APP_DIR"),
        ("smtp_host", "TERN_SMTP_HOST"), ("smtp_port", "TERN_SMTP_PORT"), ("smtp_security", "TERN_SMTP_SECURITY"),
        ("smtp_user", "TERN_SMTP_USER"), ("smtp_password", "TERN_SMTP_PASSWORD"), ("smtp_from", "TERN_SMTP_FROM"),
        ("smtp_tls_verify", "TERN_SMTP_TLS_VERIFY"), ("sendmail", "TERN_SENDMAIL"),
        ("single_user_mode", "TERN_SINGLE_USER_MODE"), ("media_cache_retention", "TERN_MEDIA_CACHE_RETENTION"),
        ("ffmpeg_dir", "TERN_FFMPEG_DIR"),
    ]

    /// Resolves the configuration: flags over environment over file over defaults.
    ///
    /// - Parameters:
    ///   - file: the `--config` path, if any (YAML; keys as in `settings`, `rules` a list).
    ///   - environment: usually `ProcessInfo.processInfo.environment`.
    ///   - flags: values given on the command line, by file key.
    package static func load(file: String?, environment: [String: String], flags: [String: String]) throws -> AppConfig
    {
        var values: [String: String] = [:]
        var rules: [String]?
        if let file {
            let (fileValues, fileRules) = try Self.readFile(file)
            values = fileValues
            rules = fileRules
        }
        for (key, env) in Self.settings {
            if let value = environment[env] { values[key] = value }
        }
        for (key, value) in flags { values[key] = value }
        if let text = values["rules"], rules == nil || environment["TERN_RULES"] != nil || flags["rules"] != nil {
            rules = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return try Self.build(values, rules: rules ?? [])
    }

    private static func readFile(_ path: String) throws -> ([String: String], [String]?) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(setting: "config", environment: "--config", message: "cannot read \(path)")
        }
        let parsed: Any?
        do {
            parsed = try Yams.load(yaml: String(decoding: data, as: UTF8.self))
        } catch {
            throw ConfigError(setting: "config", environment: "--config", message: "\(path) is not valid YAML")
        }
        guard let map = parsed as? [String: Any] else {
            if parsed == nil { return ([:], nil) }
            throw ConfigError(
                setting: "config",
                environment: "--config",
                message: "\(path) must be a mapping of settings"
            )
        }
        let known = Set(Self.settings.map(\.key))
        var values: [String: String] = [:]
        var rules: [String]?
        for (key, value) in map {
            guard known.contains(key) else {
                throw ConfigError(setting: key, environment: "--config", message: "unknown setting in \(path)")
            }
            if key == "rules" {
                guard let list = value as? [Any] else {
                    throw ConfigError(setting: "rules", environment: "--config", message: "must be a list of strings")
                }
                rules = list.map { "\($0)" }
            } else {
                values[key] = "\(value)"
            }
        }
        return (values, rules)
    }

    private static func build(_ values: [String: String], rules: [String]) throws -> AppConfig {
        var config = AppConfig()
        func env(_ key: String) -> String { Self.settings.first { $0.key == key }?.env ?? key }
        func fail(_ key: String, _ message: String) -> ConfigError {
            ConfigError(setting: key, environment: env(key), message: message)
        }
        if let domain = values["domain"] {
            guard Self.isHost(domain) else { throw fail("domain", "expected a host name with an optional port") }
            config.domain = domain.lowercased()
        }
        if let accountDomain = values["account_domain"], !accountDomain.isEmpty {
            guard Self.isHost(accountDomain) else { throw fail("account_domain", "expected a host name") }
            config.accountDomain = accountDomain.lowercased()
        }
        if let listen = values["listen"] {
            guard let (host, port) = Self.parseListen(listen) else {
                throw fail("listen", "expected host:port, e.g. 127.0.0.1:8080 or [::1]:8080")
            }
            config.listenHost = host
            config.listenPort = port
        }
        if let scheme = values["protocol"] {
            guard scheme == "https" || scheme == "http" else { throw fail("protocol", "expected https or http") }
            config.scheme = scheme
        }
        if let dataDir = values["data_dir"] {
            guard !dataDir.isEmpty else { throw fail("data_dir", "must not be empty") }
            config.dataDirectory = dataDir
        }
        if let database = values["database"] { config.database = database }
        _ = try config.databaseLocation()
        if let mode = values["registrations"] {
            guard let parsed = RegistrationMode(rawValue: mode) else {
                throw fail("registrations", "expected open, approval, invite or closed")
            }
            config.instance.registrations = parsed
        }
        if let retention = values["media_cache_retention"], !retention.isEmpty, retention != "forever" {
            guard let seconds = AdminTool.parseDuration(retention), seconds >= 3600 else {
                throw fail("media_cache_retention", "expected a duration of an hour or more (12h, 7d, 4w) or forever")
            }
            config.mediaCacheRetention = seconds
        }
        if let folder = values["ffmpeg_dir"], !folder.isEmpty {
            config.instance.ffmpegDirectory = folder
        }
        if let single = values["single_user_mode"] {
            switch single.lowercased() {
            case "true", "yes", "1", "on": config.instance.singleUserMode = true
            case "false", "no", "0", "off", "": config.instance.singleUserMode = false
            default: throw fail("single_user_mode", "expected true or false")
            }
            // One person's server takes no sign-ups, whatever `registrations` says.
            if config.instance.singleUserMode { config.instance.registrations = .closed }
        }
        if let maxChars = values["max_chars"] {
            guard let number = Int(maxChars), (1...100_000).contains(number) else {
                throw fail("max_chars", "expected a number from 1 to 100000")
            }
            config.instance.maxCharacters = number
        }
        if let title = values["title"] { config.instance.title = title }
        if let description = values["description"] { config.instance.description = description }
        if let short = values["short_description"] { config.instance.shortDescription = short }
        if let email = values["contact_email"] { config.instance.contactEmail = email }
        if let contact = values["contact_account"], !contact.isEmpty { config.instance.contactUsername = contact }
        if let source = values["source_url"] { config.instance.sourceURL = source }
        config.instance.rules = rules.enumerated().map {
            InstanceSettings.Rule(id: String($0.offset + 1), text: $0.element)
        }
        if let level = values["log_level"] {
            guard let parsed = Logger.Level(rawValue: level) else {
                throw fail("log_level", "expected trace, debug, info, notice, warning, error or critical")
            }
            config.logLevel = parsed
        }
        if let cost = values["bcrypt_cost"] {
            guard let number = UInt8(cost), (4...16).contains(number) else {
                throw fail("bcrypt_cost", "expected 4 to 16")
            }
            config.bcryptCost = number
        }
        if let jobs = values["jobs"] {
            guard jobs == "automatic" || jobs == "manual" else { throw fail("jobs", "expected automatic or manual") }
            config.jobsManual = jobs == "manual"
        }
        if let concurrency = values["job_concurrency"] {
            guard let number = Int(concurrency), (1...256).contains(number) else {
                throw fail("job_concurrency", "expected 1 to 256")
            }
            config.jobConcurrency = number
        }
        if let limit = values["auth_rate_limit"] {
            guard let number = Int(limit), number >= 0 else {
                throw fail("auth_rate_limit", "expected a number of requests per 5 minutes, 0 for no limit")
            }
            config.authRateLimit = number
        }
        if let ranges = values["federation_allowed_addresses"] {
            do {
                config.federation.allowedAddresses = try AddressRange.parseList(ranges)
            } catch {
                throw fail("federation_allowed_addresses", "expected comma-separated CIDR ranges such as 127.0.0.1/32")
            }
        }
        if let folder = values["web_app_dir"], !folder.isEmpty {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue
            else { throw fail("web_app_dir", "expected a folder holding the web app's index.html") }
            config.webAppDirectory = folder
        }
        if let domains = values["federation_blocked_domains"] {
            config.federation.blockedDomains = Set(
                domains.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                    .filter { !$0.isEmpty }
            )
        }
        if config.domain == "localhost:8080" && values["domain"] == nil && values["listen"] != nil {
            config.domain =
                "\(config.listenHost.contains(":") ? "[\(config.listenHost)]" : config.listenHost):\(config.listenPort)"
        }
        config.mail = try Self.mailConfig(values, domain: config.domain, fail: fail)
        return config
    }

    /// SMTP when `smtp_host` is set, else sendmail when `sendmail` is, else no mail.
    private static func mailConfig(
        _ values: [String: String],
        domain: String,
        fail: (String, String) -> ConfigError
    ) throws -> MailConfig? {
        let host = values["smtp_host"].flatMap { $0.isEmpty ? nil : $0 }
        let sendmail = values["sendmail"].flatMap { $0.isEmpty ? nil : $0 }
        guard host != nil || sendmail != nil else { return nil }
        let bareDomain = domain.split(separator: ":").first.map(String.init) ?? domain
        let from = values["smtp_from"].flatMap { $0.isEmpty ? nil : $0 } ?? "notifications@\(bareDomain)"
        guard (try? MailAddress(from)) != nil else { throw fail("smtp_from", "expected an email address") }
        guard let host else {
            guard FileManager.default.isExecutableFile(atPath: sendmail ?? "") else {
                throw fail("sendmail", "expected the path of a sendmail-compatible program")
            }
            return MailConfig(from: from, delivery: .sendmail(path: sendmail ?? ""))
        }
        guard host.count <= 253, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-:[]".contains($0)) })
        else {
            throw fail("smtp_host", "expected a host name or address")
        }
        var security = SMTPConfiguration.Security.startTLS
        switch values["smtp_security"]?.lowercased() {
        case nil, "", "starttls": security = .startTLS
        case "tls", "ssl": security = .tls
        case "none": security = .none
        default: throw fail("smtp_security", "expected starttls, tls or none")
        }
        var port: Int?
        if let text = values["smtp_port"], !text.isEmpty {
            guard let number = Int(text), (1...65535).contains(number) else {
                throw fail("smtp_port", "expected 1 to 65535")
            }
            port = number
        }
        var verification = SMTPConfiguration.CertificateVerification.fullVerification
        switch values["smtp_tls_verify"]?.lowercased() {
        case nil, "", "full": verification = .fullVerification
        case "no_hostname": verification = .noHostnameVerification
        case "none": verification = .none
        default: throw fail("smtp_tls_verify", "expected full, no_hostname or none")
        }
        let user = values["smtp_user"].flatMap { $0.isEmpty ? nil : $0 }
        let smtp = SMTPConfiguration(
            host: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")),
            port: port,
            security: security,
            username: user,
            password: user == nil ? nil : values["smtp_password"],
            heloName: bareDomain,
            tlsCertificateVerification: verification
        )
        return MailConfig(from: from, delivery: .smtp(smtp))
    }

    /// `host`, `host:port`, `[v6]:port`: letters, digits, dots, dashes.
    static func isHost(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 253 else { return false }
        if text.hasPrefix("[") { return Self.parseListen(text) != nil }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, !parts[0].isEmpty else { return false }
        if parts.count == 2 {
            guard let port = Int(parts[1]), (1...65535).contains(port) else { return false }
        }
        return parts[0].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
    }

    /// `127.0.0.1:8080`, `[::1]:8080`, `0.0.0.0:80`.
    static func parseListen(_ text: String) -> (String, Int)? {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return nil
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else { return nil }
        return (String(host), port)
    }
}
