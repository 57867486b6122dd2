import Core
import Foundation
import Storage

/// What the server tells about itself: `/api/v1/instance`, `/api/v2/instance`, NodeInfo, peers, activity.
package struct InstanceProcessor: Sendable {
    let context: ProcessingContext

    init(_ context: ProcessingContext) {
        self.context = context
    }

    /// The server's settings, numbers and contact account.
    package struct InstanceView: Sendable {
        package let settings: InstanceSettings
        package let urls: URLBuilder
        package let stats: InstanceStats
        package let contact: AccountView?
        /// The VAPID public key clients subscribe Web Push with.
        package let vapidKey: String
        /// What uploads may be: pictures, and videos and sounds when ffmpeg is installed.
        package let mediaTypes: [String]
    }

    /// Everything the instance endpoints render.
    package func view() async throws -> InstanceView {
        let settings = self.context.instance
        let stats = try await self.context.db.instanceStats()
        let contact = try await settings.contactUsername.asyncMap { name in
            try await self.context.db.read { try await $0.account(username: name, domain: nil) }
        }
        return InstanceView(
            settings: settings,
            urls: self.context.urls,
            stats: stats,
            contact: contact.map { AccountView(account: $0, user: nil, urls: self.context.urls) },
            vapidKey: try await self.context.federation.keys.vapidPublicKey(),
            mediaTypes: MediaProcessor.acceptedTypes(self.context.instance)
        )
    }

    /// Hosts this server knows (`/api/v1/instance/peers`).
    package func peers() async throws -> [String] {
        try await self.context.db.read { try await $0.knownDomains() }
    }

    /// One week of `/api/v1/instance/activity`.
    package struct WeekActivity: Sendable, Equatable {
        package let week: Date
        package let statuses: Int
        package let logins: Int
        package let registrations: Int
    }

    /// The last 12 weeks, newest first, counted from the database.
    package func activity() async throws -> [WeekActivity] {
        let now = self.context.clock.now()
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let startOfWeek = calendar.dateInterval(of: .weekOfYear, for: now)?.start ?? now
        return try await self.context.db.read { session in
            var weeks: [WeekActivity] = []
            for offset in 0..<12 {
                let start = startOfWeek.addingTimeInterval(-Double(offset) * 7 * 86_400)
                let end = start.addingTimeInterval(7 * 86_400)
                let counts = try await session.activityCounts(from: start, to: end)
                weeks.append(
                    WeekActivity(
                        week: start,
                        statuses: counts.statuses,
                        logins: counts.logins,
                        registrations: counts.registrations
                    )
                )
            }
            return weeks
        }
    }
}
