import Core
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Uploads, processing, serving and attaching media through the API.
@Suite struct MediaAPITests {
    static func upload(
        _ client: any TestClientProtocol,
        _ token: String,
        _ file: Data,
        version: Int = 1,
        filename: String = "picture.png",
        fields: [(String, String)] = []
    ) async throws -> TestResponse {
        try await TestImages.upload(client, token, file, version: version, filename: filename, fields: fields)
    }

    @Test(
        "v1 upload: processed at once, served with long-lived caching, ETag and ranges",
        arguments: TestDatabase.available
    )
    func uploadAndServe(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let png = TestImages.png(width: 800, height: 600, gradient: true)
                let response = try await Self.upload(client, alice.token, png, fields: [("description", "a gradient")])
                #expect(response.status == .ok, "\(response.text)")
                let json = response.json
                #expect(json["type"] as? String == "image")
                #expect(json["description"] as? String == "a gradient")
                #expect((json["blurhash"] as? String)?.count == 28)
                let meta = try #require(json["meta"] as? [String: Any])
                let original = try #require(meta["original"] as? [String: Any])
                #expect(original["width"] as? Int == 800 && original["height"] as? Int == 600)
                let small = try #require(meta["small"] as? [String: Any])
                #expect(small["width"] as? Int == 640 && small["height"] as? Int == 480)
                let url = try #require(json["url"] as? String)
                #expect(json["preview_url"] is String)
                #expect(url.hasPrefix("http://tern.test/system/"))
                #expect(!url.contains("picture"))  // the upload's name is not the file's

                let path = pathAndQuery(url)
                let served = try await client.execute(uri: path, method: .get)
                #expect(served.status == .ok)
                #expect(served.headers[.contentType] == "image/png")
                #expect(served.headers[.cacheControl]?.contains("immutable") == true)
                let etag = try #require(served.headers[.eTag])
                #expect(served.body.readableBytes > 0)
                var conditional = HTTPFields()
                conditional[.ifNoneMatch] = etag
                #expect(try await client.execute(uri: path, method: .get, headers: conditional).status == .notModified)
                var range = HTTPFields()
                range[.range] = "bytes=0-9"
                let partial = try await client.execute(uri: path, method: .get, headers: range)
                #expect(partial.status == .partialContent)
                #expect(partial.body.readableBytes == 10)
                #expect(try await client.execute(uri: "/system/../../etc/passwd", method: .get).status != .ok)
            }
        }
    }

    @Test(
        "an edit replaces attachments and their alt text; others' media, a fifth file and unknown ids are refused",
        arguments: TestDatabase.available
    )
    func editAttachments(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                var ids: [String] = []
                for _ in 0..<3 {
                    let uploaded = try await Self.upload(client, alice.token, TestImages.png(width: 20, height: 20))
                    ids.append(try #require(uploaded.json["id"] as? String))
                }
                let bobsUpload = try await Self.upload(client, bob.token, TestImages.png(width: 20, height: 20))
                let bobsMedia = try #require(bobsUpload.json["id"] as? String)
                let posted = try await api.status(alice.token, "pictures", [("media_ids[]", ids[0])])
                func edit(_ pairs: [(String, String)]) async throws -> TestResponse {
                    try await client.execute(
                        uri: "/api/v1/statuses/\(posted)",
                        method: .put,
                        headers: .bearer(alice.token, contentType: formType),
                        body: formBody(pairs)
                    )
                }
                let swapped = try await edit([
                    ("status", ""), ("media_ids[]", ids[1]), ("media_ids[]", ids[2]),
                    ("media_attributes[][id]", ids[2]), ("media_attributes[][description]", "a red square"),
                ])
                #expect(swapped.status == .ok, "\(swapped.text)")
                let media = try #require(swapped.json["media_attachments"] as? [[String: Any]])
                #expect(media.compactMap { $0["id"] as? String } == [ids[1], ids[2]])
                #expect(media.last?["description"] as? String == "a red square")
                #expect(swapped.json["edited_at"] is String)
                // The dropped picture is free again: it can go on another post.
                #expect(try await api.postStatus(alice.token, "reused", [("media_ids[]", ids[0])]).status == .ok)

                for pairs in [
                    [("status", "x"), ("media_ids[]", bobsMedia)],
                    [("status", "x"), ("media_ids[]", "123456")],
                    [("status", "x"), ("media_ids[]", ids[0])],
                    [("status", "x"), ("media_attributes[][id]", ids[0]), ("media_attributes[][description]", "no")],
                    [
                        ("status", "x"), ("media_attributes[][id]", ids[1]),
                        ("media_attributes[][description]", String(repeating: "a", count: 1501)),
                    ],
                    // No text and no pictures left.
                    [("status", ""), ("media_ids[]", "")],
                ] {
                    let refused = try await edit(pairs)
                    #expect(refused.status == .unprocessableContent, "\(pairs)")
                }
                let shown = try await api.get("/api/v1/statuses/\(posted)", alice.token)
                let kept = try #require(shown.json["media_attachments"] as? [[String: Any]])
                #expect(kept.compactMap { $0["id"] as? String } == [ids[1], ids[2]])
                #expect(kept.first?["description"] is NSNull)

                // The history keeps each version's attachments with their alt text of then.
                let relabelled = try await edit([
                    ("status", "relabelled"), ("media_attributes[][id]", ids[2]),
                    ("media_attributes[][description]", "a crimson square"),
                ])
                #expect(relabelled.status == .ok, "\(relabelled.text)")
                let history = try await api.get("/api/v1/statuses/\(posted)/history", alice.token)
                #expect(history.status == .ok)
                let versions = history.jsonArray.map { version in
                    ((version["media_attachments"] as? [[String: Any]]) ?? []).map {
                        "\($0["id"] as? String ?? "?"):\($0["description"] as? String ?? "-")"
                    }
                }
                #expect(
                    versions == [
                        ["\(ids[0]):-"],
                        ["\(ids[1]):-", "\(ids[2]):a red square"],
                        ["\(ids[1]):-", "\(ids[2]):a crimson square"],
                    ],
                    "\(history.text)"
                )
                let first = try #require(history.jsonArray.first?["media_attachments"] as? [[String: Any]]).first
                #expect((first?["url"] as? String)?.hasPrefix("http://tern.test/system/") == true)
            }
        }
    }

    @Test("v2 upload answers 202 until the job has processed it", arguments: TestDatabase.available)
    func asynchronousUpload(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let response = try await Self.upload(
                    client,
                    alice.token,
                    TestImages.png(width: 50, height: 40),
                    version: 2
                )
                #expect(response.status == .accepted)
                #expect(response.json["url"] is NSNull)
                let id = try #require(response.json["id"] as? String)
                let pending = try await client.execute(
                    uri: "/api/v1/media/\(id)",
                    method: .get,
                    headers: .bearer(alice.token)
                )
                #expect(pending.status == .partialContent)
                #expect(try await t.jobs.drain() == 1)
                let done = try await client.execute(
                    uri: "/api/v1/media/\(id)",
                    method: .get,
                    headers: .bearer(alice.token)
                )
                #expect(done.status == .ok)
                #expect(done.json["url"] is String)
            }
        }
    }

    @Test(
        "a status carries its media; text may be empty with media; others' media and five files are refused",
        arguments: TestDatabase.available
    )
    func attachToStatuses(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                var ids: [String] = []
                for _ in 0..<5 {
                    let uploaded = try await Self.upload(client, alice.token, TestImages.png(width: 20, height: 20))
                    ids.append(try #require(uploaded.json["id"] as? String))
                }
                let posted = try await api.postStatus(
                    alice.token,
                    "",
                    [("media_ids[]", ids[0]), ("media_ids[]", ids[1])]
                )
                #expect(posted.status == .ok, "\(posted.text)")
                let media = try #require(posted.json["media_attachments"] as? [[String: Any]])
                #expect(media.compactMap { $0["id"] as? String } == [ids[0], ids[1]])

                // Already used, someone else's, too many, or with a poll: refused, nothing posted.
                let reused = try await api.postStatus(alice.token, "again", [("media_ids[]", ids[0])])
                #expect(reused.status == .unprocessableContent)
                let stolen = try await api.postStatus(bob.token, "mine now", [("media_ids[]", ids[2])])
                #expect(stolen.status == .unprocessableContent)
                let five = try await api.postStatus(alice.token, "five", ids.map { ("media_ids[]", $0) })
                #expect(five.status == .unprocessableContent)
                let withPoll = try await api.postStatus(
                    alice.token,
                    "poll",
                    [
                        ("media_ids[]", ids[3]), ("poll[options][]", "a"), ("poll[options][]", "b"),
                        ("poll[expires_in]", "600"),
                    ]
                )
                #expect(withPoll.status == .unprocessableContent)
                #expect(try await api.ids("/api/v1/accounts/\(alice.id)/statuses", alice.token).count == 1)

                // Attached media cannot be deleted; unattached media can; alt text and focus can change.
                let attached = try await client.execute(
                    uri: "/api/v1/media/\(ids[0])",
                    method: .delete,
                    headers: .bearer(alice.token)
                )
                #expect(attached.status == .unprocessableContent)
                let updated = try await client.execute(
                    uri: "/api/v1/media/\(ids[4])",
                    method: .put,
                    headers: .bearer(alice.token, contentType: formType),
                    body: formBody([("description", "new words"), ("focus", "0.5,-0.25")])
                )
                #expect(updated.status == .ok)
                #expect(updated.json["description"] as? String == "new words")
                let focus = ((updated.json["meta"] as? [String: Any])?["focus"] as? [String: Any])
                #expect(focus?["x"] as? Double == 0.5 && focus?["y"] as? Double == -0.25)
                #expect(
                    try await client.execute(
                        uri: "/api/v1/media/\(ids[4])",
                        method: .delete,
                        headers: .bearer(alice.token)
                    ).status == .ok
                )
                #expect(
                    try await client.execute(
                        uri: "/api/v1/media/\(ids[4])",
                        method: .get,
                        headers: .bearer(alice.token)
                    ).status == .notFound
                )
                // Another account's media is not found.
                #expect(
                    try await client.execute(uri: "/api/v1/media/\(ids[2])", method: .get, headers: .bearer(bob.token))
                        .status == .notFound
                )
            }
        }
    }

    @Test(
        "a video and a sound: 202, then processed by the job into clean files with length, frame rate and a still",
        arguments: TestDatabase.available
    )
    func videoAndSound(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let instance = try await client.execute(uri: "/api/v2/instance", method: .get)
                let configuration = try #require(instance.json["configuration"] as? [String: Any])
                let media = try #require(configuration["media_attachments"] as? [String: Any])
                #expect((media["supported_mime_types"] as? [String])?.contains("video/mp4") == true)

                let clips: [(Data, String, String, String)] = [
                    (try TestClips.mp4(), "clip.mp4", "video", "video/mp4"),
                    (try TestClips.mp4(silent: true), "loop.mp4", "gifv", "video/mp4"),
                    (try TestClips.mp3(), "tone.mp3", "audio", "audio/mpeg"),
                ]
                #expect(clips[0].0.range(of: Data("loci".utf8)) != nil)
                for (data, name, type, contentType) in clips {
                    let response = try await Self.upload(client, alice.token, data, version: 2, filename: name)
                    #expect(response.status == .accepted, "\(name): \(response.text)")
                    #expect(response.json["type"] as? String == type)
                    let id = try #require(response.json["id"] as? String)
                    #expect(try await t.jobs.drain() == 1)
                    let done = try await client.execute(
                        uri: "/api/v1/media/\(id)",
                        method: .get,
                        headers: .bearer(alice.token)
                    )
                    #expect(done.status == .ok, "\(name): \(done.text)")
                    #expect(done.json["type"] as? String == type)
                    let meta = try #require(done.json["meta"] as? [String: Any])
                    let original = try #require(meta["original"] as? [String: Any], "\(name): \(done.text)")
                    let duration = try #require(original["duration"] as? Double)
                    #expect(abs(duration - 2) < 0.3, "\(name)")
                    #expect((original["bitrate"] as? Int ?? 0) > 0, "\(name)")
                    if type == "audio" {
                        #expect(original["width"] == nil && meta["small"] == nil)
                        #expect(done.json["blurhash"] is NSNull)
                    } else {
                        #expect(original["width"] as? Int == 320 && original["height"] as? Int == 240)
                        #expect(original["frame_rate"] as? String == "10/1")
                        #expect((meta["small"] as? [String: Any])?["width"] as? Int == 320)
                        #expect((done.json["blurhash"] as? String)?.count == 28)
                        #expect(done.json["preview_url"] is String)
                    }
                    let url = try #require(done.json["url"] as? String)
                    let served = try await client.execute(uri: pathAndQuery(url), method: .get)
                    #expect(served.status == .ok)
                    #expect(served.headers[.contentType] == contentType)
                    let bytes = Data(buffer: served.body)
                    // `loci` is the MP4 box holding the GPS position.
                    #expect(bytes.range(of: Data("loci".utf8)) == nil, "\(name) kept its GPS position")
                }
                // A video can be posted.
                let upload = try await Self.upload(client, alice.token, try TestClips.mp4(), filename: "clip.mp4")
                #expect(upload.status == .ok, "\(upload.text)")
                let id = try #require(upload.json["id"] as? String)
                let posted = try await client.execute(
                    uri: "/api/v1/statuses",
                    method: .post,
                    headers: .bearer(alice.token),
                    body: formBody([("status", "a clip"), ("media_ids[]", id)])
                )
                #expect(posted.status == .ok, "\(posted.text)")
                let attached = try #require((posted.json["media_attachments"] as? [[String: Any]])?.first)
                #expect(attached["type"] as? String == "video")
            }
        }
    }

    @Test(
        "without ffmpeg a video is refused with 422 saying so, and nothing is stored",
        arguments: TestDatabase.available
    )
    func videoWithoutFFmpeg(db: TestDatabase) async throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("tern-no-ffmpeg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let folder = empty.path
        let body: @Sendable (TestApp) async throws -> Void = { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let instance = try await client.execute(uri: "/api/v2/instance", method: .get)
                let configuration = try #require(instance.json["configuration"] as? [String: Any])
                let media = try #require(configuration["media_attachments"] as? [String: Any])
                #expect((media["supported_mime_types"] as? [String])?.contains("video/mp4") == false)
                let response = try await Self.upload(client, alice.token, try TestClips.mp4(), filename: "clip.mp4")
                #expect(response.status == .unprocessableContent)
                #expect(
                    response.json["error"] as? String
                        == "Validation failed: Video and audio uploads are not supported on this server"
                )
                #expect(try await t.db.read { try await $0.mediaCount(of: Account.ID(alice.id)!) } == 0)
            }
        }
        try await TestApp.run(db, configure: { $0.instance.ffmpegDirectory = folder }, body)
    }

    @Test(
        "what is not an image, a decompression bomb, a long description or a bad focus is refused and stores nothing",
        arguments: TestDatabase.available
    )
    func refusals(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let cases: [(Data, String, [(String, String)])] = [
                    (Data("just some text, not a picture".utf8), "fake.png", []),
                    (
                        Data(#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.utf8), "x.svg",
                        []
                    ),
                    (Data("%PDF-1.4\n".utf8), "doc.pdf", []),
                    (TestImages.pngBomb(width: 40_000, height: 40_000), "bomb.png", []),
                    (Data(), "empty.png", []),
                    (
                        TestImages.png(width: 10, height: 10), "ok.png",
                        [("description", String(repeating: "a", count: 1_501))]
                    ),
                    (TestImages.png(width: 10, height: 10), "ok.png", [("focus", "2,0")]),
                ]
                for (data, name, fields) in cases {
                    let response = try await Self.upload(client, alice.token, data, filename: name, fields: fields)
                    #expect(response.status == .unprocessableContent, "\(name): \(response.text)")
                    #expect((response.json["error"] as? String)?.isEmpty == false)
                }
                let noToken = try await client.execute(
                    uri: "/api/v1/media",
                    method: .post,
                    headers: .contentType("multipart/form-data; boundary=\(TestImages.boundary)"),
                    body: TestImages.multipart(file: TestImages.png(width: 10, height: 10))
                )
                #expect(noToken.status == .unauthorized)
                let stored = try await t.db.read { try await $0.mediaCount(of: Account.ID(alice.id)!) }
                #expect(stored == 0)
            }
        }
    }
}
