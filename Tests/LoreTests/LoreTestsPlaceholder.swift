import Testing

@Test func LoreTestsBuilds() {
    #expect(Bool(true))
}
