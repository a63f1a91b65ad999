import Foundation
import TestSupport

/// Checks a SARIF log against the properties SARIF 2.1.0 requires (and the constraints on the ones
/// lkml-review writes): returns the problems found, empty when none.
enum SARIFValidator {
    static let levels: Set<String> = ["none", "note", "warning", "error"]
    static let kinds: Set<String> = ["notApplicable", "pass", "fail", "review", "open", "informational"]

    /// The problems this validator finds, then those of the official schema (`SARIFSchema`, with
    /// Python's jsonschema; skipped with a printed reason when it is missing) and of the kind/level
    /// rule the schema cannot express.
    static func validate(_ data: Data, test: String = #function) throws -> [String] {
        try ownProblems(data) + SARIFSchema.allProblems(data, test: test)
    }

    static func ownProblems(_ data: Data) throws -> [String] {
        var problems: [String] = []
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { return ["root is not an object"] }
        if root["version"] as? String != "2.1.0" { problems.append("sarifLog.version must be \"2.1.0\"") }
        if let s = root["$schema"], !(s is String) { problems.append("$schema must be a string") }
        guard let runs = root["runs"] as? [Any] else { return problems + ["sarifLog.runs is required (array)"] }
        for (ri, anyRun) in runs.enumerated() {
            let at = "runs[\(ri)]"
            guard let run = anyRun as? [String: Any] else { problems.append("\(at) is not an object"); continue }
            guard let tool = run["tool"] as? [String: Any], let driver = tool["driver"] as? [String: Any] else {
                problems.append("\(at).tool.driver is required"); continue
            }
            if (driver["name"] as? String)?.isEmpty != false { problems.append("\(at).tool.driver.name is required") }
            let rules = driver["rules"] as? [[String: Any]] ?? []
            for (k, rule) in rules.enumerated() {
                let rat = "\(at).tool.driver.rules[\(k)]"
                if (rule["id"] as? String)?.isEmpty != false { problems.append("\(rat).id is required") }
                for key in ["shortDescription", "fullDescription", "help"] {
                    if let m = rule[key] {
                        if (m as? [String: Any])?["text"] as? String == nil { problems.append("\(rat).\(key).text is required") }
                    }
                }
                if let c = rule["defaultConfiguration"] as? [String: Any], let l = c["level"] as? String, !levels.contains(l) {
                    problems.append("\(rat).defaultConfiguration.level \(l) is not a level")
                }
            }
            let ruleIDs = Set(rules.compactMap { $0["id"] as? String })
            if ruleIDs.count != rules.count { problems.append("\(at): rule ids are not unique") }
            if let artifacts = run["artifacts"] as? [[String: Any]] {
                for (k, a) in artifacts.enumerated() {
                    if let l = a["location"] as? [String: Any] { problems += artifactLocation(l, "\(at).artifacts[\(k)].location", artifacts: nil) }
                }
            }
            let artifactCount = (run["artifacts"] as? [Any])?.count
            guard let results = run["results"] as? [Any] else { continue }
            for (k, anyResult) in results.enumerated() {
                let rat = "\(at).results[\(k)]"
                guard let r = anyResult as? [String: Any] else { problems.append("\(rat) is not an object"); continue }
                if let m = r["message"] as? [String: Any] {
                    if m["text"] as? String == nil && m["id"] as? String == nil { problems.append("\(rat).message needs text or id") }
                } else { problems.append("\(rat).message is required") }
                let ruleId = r["ruleId"] as? String
                if ruleId == nil && r["rule"] == nil { problems.append("\(rat) names no rule") }
                if let idx = r["ruleIndex"] {
                    guard let i = idx as? Int, i >= 0, i < rules.count else { problems.append("\(rat).ruleIndex out of range"); continue }
                    if let ruleId, rules[i]["id"] as? String != ruleId { problems.append("\(rat).ruleIndex names another rule") }
                } else if let ruleId, !ruleIDs.contains(ruleId) {
                    problems.append("\(rat).ruleId \(ruleId) not in tool.driver.rules")
                }
                if let l = r["level"] as? String, !levels.contains(l) { problems.append("\(rat).level \(l) is not a level") }
                if let kind = r["kind"] as? String, !kinds.contains(kind) { problems.append("\(rat).kind \(kind) is not a kind") }
                guard let locations = r["locations"] as? [[String: Any]], !locations.isEmpty else {
                    problems.append("\(rat).locations: at least one location expected"); continue
                }
                for (j, l) in locations.enumerated() { problems += location(l, "\(rat).locations[\(j)]", artifacts: artifactCount) }
                var ids: Set<Int> = []
                for (j, l) in (r["relatedLocations"] as? [[String: Any]] ?? []).enumerated() {
                    problems += location(l, "\(rat).relatedLocations[\(j)]", artifacts: artifactCount)
                    if let id = l["id"] as? Int {
                        if id < 0 || !ids.insert(id).inserted { problems.append("\(rat).relatedLocations[\(j)].id must be unique and ≥ 0") }
                    }
                }
                if let fp = r["partialFingerprints"] {
                    if (fp as? [String: String]) == nil { problems.append("\(rat).partialFingerprints values must be strings") }
                }
            }
        }
        return problems
    }

    static func location(_ l: [String: Any], _ at: String, artifacts: Int?) -> [String] {
        var problems: [String] = []
        if let m = l["message"], (m as? [String: Any])?["text"] as? String == nil { problems.append("\(at).message.text is required") }
        guard let p = l["physicalLocation"] as? [String: Any] else { return problems + ["\(at).physicalLocation expected"] }
        guard let a = p["artifactLocation"] as? [String: Any] else { return problems + ["\(at).physicalLocation.artifactLocation is required"] }
        problems += artifactLocation(a, "\(at).physicalLocation.artifactLocation", artifacts: artifacts)
        if let region = p["region"] as? [String: Any] {
            guard let start = region["startLine"] as? Int, start >= 1 else { return problems + ["\(at).region.startLine must be ≥ 1"] }
            if let end = region["endLine"] { if (end as? Int).map({ $0 >= start }) != true { problems.append("\(at).region.endLine < startLine") } }
            if let s = region["snippet"], (s as? [String: Any])?["text"] as? String == nil { problems.append("\(at).region.snippet.text is required") }
        }
        return problems
    }

    static func artifactLocation(_ a: [String: Any], _ at: String, artifacts: Int?) -> [String] {
        var problems: [String] = []
        guard let uri = a["uri"] as? String else { return ["\(at).uri expected"] }
        if URL(string: uri) == nil || uri.contains(" ") || uri.hasPrefix("/") { problems.append("\(at).uri \(uri) is not a relative URI reference") }
        if let i = a["index"] {
            if let n = artifacts, (i as? Int).map({ $0 >= 0 && $0 < n }) != true { problems.append("\(at).index out of range") }
        }
        return problems
    }
}
