import Core
import HTTPCommon
import Hummingbird
import Processing

/// `/api/v1/instance`, `/api/v2/instance` and the small read-only endpoints clients call at start-up.
struct InstanceController {
    let instance: InstanceProcessor
    let accounts: AccountProcessor

    func addRoutes(v1: RouterGroup<AppRequestContext>, v2: RouterGroup<AppRequestContext>) {
        v1.get("instance", use: self.v1)
        v1.get("instance/peers", use: self.peers)
        v1.get("instance/activity", use: self.activity)
        v1.get("instance/rules", use: self.rules)
        v1.get("instance/extended_description", use: self.extendedDescription)
        v1.get("custom_emojis", use: self.empty)
        v1.get("announcements", use: self.empty)
        v1.get("preferences", use: self.preferences)
        v2.get("instance", use: self.v2)
    }

    @Sendable func v1(_ request: Request, context: AppRequestContext) async throws -> InstanceV1Entity {
        InstanceV1Entity(try await self.instance.view())
    }

    @Sendable func v2(_ request: Request, context: AppRequestContext) async throws -> InstanceV2Entity {
        InstanceV2Entity(try await self.instance.view())
    }

    @Sendable func peers(_ request: Request, context: AppRequestContext) async throws -> [String] {
        try await self.instance.peers()
    }

    @Sendable func activity(_ request: Request, context: AppRequestContext) async throws -> [ActivityEntity] {
        try await self.instance.activity().map(ActivityEntity.init)
    }

    @Sendable func rules(_ request: Request, context: AppRequestContext) async throws -> [RuleEntity] {
        try await self.instance.view().settings.rules.map { RuleEntity(id: $0.id, text: $0.text, hint: $0.hint) }
    }

    struct ExtendedDescriptionEntity: ResponseEncodable, Sendable {
        @Nullable var updatedAt: String?
        let content: String

        enum CodingKeys: String, CodingKey {
            case updatedAt = "updated_at"
            case content
        }
    }

    @Sendable func extendedDescription(_ request: Request, context: AppRequestContext) async throws
        -> ExtendedDescriptionEntity
    {
        let settings = try await self.instance.view().settings
        return ExtendedDescriptionEntity(updatedAt: nil, content: TextFormatter.escape(settings.description))
    }

    /// Custom emoji and announcements do not exist yet: an empty list is the true answer.
    @Sendable func empty(_ request: Request, context: AppRequestContext) async throws -> [String] {
        []
    }

    @Sendable func preferences(_ request: Request, context: AppRequestContext) async throws -> PreferencesEntity {
        let viewer = try context.requireUser(scope: "read:accounts")
        let view = try await self.accounts.credentials(of: viewer)
        return PreferencesEntity(view.user?.settings ?? UserSettings())
    }
}
