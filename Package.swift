// swift-tools-version: 6.0
// lkml-review: structured review of Linux kernel patch threads.
// Pipeline: Mailbox -> Patch -> Review -> Rules -> Report; Lore fetches threads.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "lkml-review",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "lkml-review", targets: ["lkml-review"]),
        // The pipeline modules as one library, for the fuzz targets in Fuzz/ and for embedding.
        .library(name: "LKMLReviewKit", targets: ["Mailbox", "Patch", "Review", "Rules", "Report", "Lore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C shims: zlib's init functions are macros, curl_easy_setopt is variadic.
        .target(name: "CZlib", linkerSettings: [.linkedLibrary("z")]),
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),

        .target(name: "Mailbox", dependencies: ["CZlib"], swiftSettings: strict),
        .target(name: "Patch", swiftSettings: strict),
        .target(name: "Review", dependencies: ["Mailbox", "Patch"], swiftSettings: strict),
        // The built-in tables are Sources/Rules/Tables/*.yaml, compiled in by the EmbedRuleTables plugin.
        .target(name: "Rules", dependencies: ["Patch", .product(name: "Yams", package: "Yams")], exclude: ["Tables"],
                swiftSettings: strict, plugins: ["EmbedRuleTables"]),
        .executableTarget(name: "EmbedRuleTablesTool", path: "Plugins/EmbedRuleTablesTool", swiftSettings: strict),
        .plugin(name: "EmbedRuleTables", capability: .buildTool(), dependencies: ["EmbedRuleTablesTool"]),
        .target(name: "Report", dependencies: ["Mailbox", "Patch", "Review", "Rules"], swiftSettings: strict),
        .target(name: "Lore", dependencies: ["Mailbox", "CCurl"], swiftSettings: strict),
        .executableTarget(
            name: "lkml-review",
            dependencies: [
                "Mailbox", "Patch", "Review", "Rules", "Report", "Lore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),

        // Shared by the test targets: replaying the fuzzers' saved inputs.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "MailboxTests", dependencies: ["Mailbox", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "PatchTests", dependencies: ["TestSupport", "Patch", "Mailbox"], swiftSettings: strict),
        .testTarget(name: "ReviewTests", dependencies: ["TestSupport", "Review", "Mailbox", "Patch"], swiftSettings: strict),
        .testTarget(name: "RulesTests", dependencies: ["TestSupport", "Rules", "Patch", "Mailbox"], exclude: ["Fixtures"],
                    swiftSettings: strict),
        .testTarget(name: "ReportTests", dependencies: ["TestSupport", "Report", "Review", "Rules", "Mailbox", "Patch"], swiftSettings: strict),
        .testTarget(name: "LoreTests", dependencies: ["TestSupport", "Lore", "Mailbox", "Review"], swiftSettings: strict),
        .testTarget(name: "CLITests", dependencies: ["Mailbox", "TestSupport"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
