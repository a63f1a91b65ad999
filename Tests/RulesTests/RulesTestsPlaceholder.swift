import Testing

@Test func RulesTestsBuilds() {
    #expect(Bool(true))
}
