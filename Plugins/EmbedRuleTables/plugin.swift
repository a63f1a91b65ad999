// Build-tool plugin of the Rules target: embeds the built-in rule tables (Sources/Rules/Tables/*.yaml)
// in the binary as Swift string literals, so that the tables travel with the executable: no resource
// bundle to find at run time, whatever the working directory or wherever the binary is copied.
import Foundation
import PackagePlugin

@main
struct EmbedRuleTables: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        guard let source = target as? SwiftSourceModuleTarget else { return [] }
        let dir = source.directoryURL.appending(path: "Tables")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }.sorted()
        // The files RuleTables.builtInFiles loads: without one the build stops here, naming it.
        for required in ["mined.yaml", "curated.yaml"] where !names.contains(required) {
            throw EmbedError(description: "\(dir.path)/\(required): missing (the built-in rule tables; see docs/RULES.md)")
        }
        let inputs = names.map { dir.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedRuleTables.swift")
        return [.buildCommand(displayName: "Embedding the rule tables of \(target.name)",
                              executable: try context.tool(named: "EmbedRuleTablesTool").url,
                              arguments: [output.path] + inputs.map(\.path),
                              inputFiles: inputs, outputFiles: [output])]
    }
}

struct EmbedError: Error, CustomStringConvertible {
    var description: String
}
