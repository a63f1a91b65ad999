import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestSupport
@testable import Report

/// Repository root, from this file's path.
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
/// Golden files live in a hidden folder so SwiftPM does not take them for unhandled resources.
let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(".golden")

/// Compares `actual` with the golden file `name` of this folder's `.golden` (TestSupport's
/// `expectGolden(_:_:in:)`; `LKML_REVIEW_RECORD=1` writes it instead).
func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    TestSupport.expectGolden(actual, name, in: goldenDirectory, sourceLocation: sourceLocation)
}

// MARK: - cmark-gfm

/// A node of cmark-gfm's XML output.
final class MDNode {
    let name: String
    let attributes: [String: String]
    var children: [MDNode] = []
    var text = ""
    init(name: String, attributes: [String: String]) { self.name = name; self.attributes = attributes }

    func all(_ n: String) -> [MDNode] {
        var out: [MDNode] = []
        var stack: [MDNode] = [self]
        while let x = stack.popLast() {
            if x.name == n { out.append(x) }
            stack.append(contentsOf: x.children.reversed())
        }
        return out
    }
    /// Concatenated text of `text` and `code` descendants (soft breaks as spaces).
    var plainText: String {
        var s = ""
        func walk(_ x: MDNode) {
            switch x.name {
            case "text", "code": s += x.text
            case "softbreak", "linebreak": s += " "
            default: for c in x.children { walk(c) }
            }
        }
        walk(self)
        return s
    }
}

final class XMLTreeBuilder: NSObject, XMLParserDelegate {
    var stack: [MDNode] = []
    var root: MDNode?
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        let n = MDNode(name: elementName, attributes: attributeDict)
        stack.last?.children.append(n)
        if root == nil { root = n }
        stack.append(n)
    }
    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        _ = stack.popLast()
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }
}

enum CMark {
    static let path: String? = ["/usr/bin/cmark-gfm", "/usr/local/bin/cmark-gfm", "/opt/homebrew/bin/cmark-gfm"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Parses `markdown` with `cmark-gfm -e table --to xml`; nil (with a printed reason) when the
    /// binary is missing.
    static func parse(_ markdown: String) throws -> MDNode? {
        guard let path else {
            print("skipping CommonMark check: cmark-gfm not installed (apt install cmark-gfm)")
            return nil
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = ["-e", "table", "-e", "strikethrough", "--to", "xml"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        let data = Data(markdown.utf8)
        // Write on another thread so a large output cannot dead-lock the pipe.
        let writer = Thread {
            input.fileHandleForWriting.write(data)
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let xml = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let parser = XMLParser(data: xml)
        let builder = XMLTreeBuilder()
        parser.delegate = builder
        #expect(parser.parse(), "cmark-gfm XML did not parse")
        return builder.root
    }

    /// The document's blocks, in order, as short descriptions: `heading 2: text`,
    /// `table 5x3` (columns × body rows), `code diff 7` (info and line count), `paragraph`,
    /// `quote`, `list 3`, `hr`, `html`.
    static func skeleton(_ doc: MDNode) -> [String] {
        var out: [String] = []
        func walk(_ n: MDNode, depth: Int) {
            let pad = String(repeating: " ", count: depth)
            switch n.name {
            case "heading": out.append(pad + "heading \(n.attributes["level"] ?? "?")")
            case "table":
                let cols = n.children.first?.children.count ?? 0
                let rows = n.children.filter { $0.name == "table_row" }
                let ragged = rows.contains { $0.children.count != cols }
                out.append(pad + "table \(cols)x\(rows.count)" + (ragged ? " ragged" : ""))
            case "code_block":
                let lines = n.text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
                out.append(pad + "code \(n.attributes["info"] ?? "") \(lines)")
            case "paragraph": out.append(pad + "paragraph")
            case "block_quote":
                out.append(pad + "quote")
                for c in n.children { walk(c, depth: depth + 1) }
            case "list":
                out.append(pad + "list \(n.children.count)")
            case "thematic_break": out.append(pad + "hr")
            case "html_block": out.append(pad + "html")
            case "document": for c in n.children { walk(c, depth: depth) }
            default: out.append(pad + n.name)
            }
        }
        walk(doc, depth: 0)
        return out
    }
}
