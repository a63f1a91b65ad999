// Reading a started child's standard output and error: both pipes are read before waiting, so a
// large output on either cannot block the child.
import Foundation

public enum ChildOutput {
    /// Reads `out` and `err` to their ends, waits for `p` (already running); its status and both texts.
    public static func drain(_ p: Process, out: Pipe, err: Pipe) -> (status: Int32, stdout: String, stderr: String) {
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}
