// swift-tools-version: 6.0
// libFuzzer targets for lkml-review: hostile bytes into every parser of the pipeline.
//
// Build (scripts/fuzz does this):
//   swift build -c release --package-path Fuzz --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address
// Each target's harness is the `FuzzReplayTests.swift` file of the module's test target (linked
// into Sources/<target>/Harness.swift), compiled here with `-D FUZZING`, so regression inputs are
// replayed by `swift test` through the very same code.
import PackageDescription

let fuzzFlags: [SwiftSetting] = [
    .unsafeFlags(["-parse-as-library"]),
    .define("FUZZING"),
]

func fuzzTarget(_ name: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["CFuzzDriver", .product(name: "LKMLReviewKit", package: "lkml-review")],
        path: "Sources/\(name)",
        swiftSettings: fuzzFlags
    )
}

let targets = [
    "fuzz-mbox", "fuzz-message", "fuzz-mime", "fuzz-gzip", "fuzz-patch", "fuzz-lore",
    "fuzz-review", "fuzz-rules", "fuzz-report",
]

let package = Package(
    name: "lkml-review-fuzz",
    platforms: [.macOS(.v13)],
    products: targets.map { .executable(name: $0, targets: [$0]) },
    dependencies: [.package(name: "lkml-review", path: "..")],
    targets: [.target(name: "CFuzzDriver")] + targets.map(fuzzTarget),
    swiftLanguageModes: [.v6]
)
