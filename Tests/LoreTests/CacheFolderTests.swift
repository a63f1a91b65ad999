import Foundation
@testable import Lore
import Testing

/// `--cache-dir` naming a file: listing or clearing says it is not a folder; a folder that does not
/// exist yet is an empty cache. Everything lives in a temporary folder of the test's own.
struct CacheFolderTests {
    @Test func aFileIsNotACacheFolder() throws {
        let dir = FileManager.default.temporaryDirectory.path + "/lore-cachedir-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/not-a-folder"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let cache = ThreadCache(directory: file)
        for (operation, call) in [("list", { _ = try cache.list() }), ("clear", { _ = try cache.clear() })] as [(String, () throws -> Void)] {
            let error = #expect(throws: LoreError.self) { try call() }
            #expect(error.map(String.init(describing:)) == "cannot \(operation) \(file): Not a directory")
        }
        #expect(try ThreadCache(directory: dir + "/missing").list().isEmpty)
        #expect(String(describing: LoreError.io(operation: "list", path: file, errno: ENOTDIR)).contains("Not a directory"))
    }
}
