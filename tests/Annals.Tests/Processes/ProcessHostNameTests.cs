using Annals.InMemory;
using Annals.Processes;
using Annals.Serialization;
using Xunit;

namespace Annals.Tests.Processes;

public sealed class ProcessHostNameTests
{
    [Fact]
    public async Task A_process_that_was_not_added_is_an_argument_error_naming_it()
    {
        await using var store = new InMemoryEventStore();
        await using var host = new ProcessHost(store, new EventCodec(new TypeRegistry()));

        var status = await Assert.ThrowsAsync<ArgumentException>(() => host.GetStatusAsync("missing"));
        var pause = Assert.Throws<ArgumentException>(() => host.Pause("missing"));
        var wait = Assert.Throws<ArgumentException>(() => { _ = host.WaitForPositionAsync("missing", 1); });

        Assert.All(new[] { status, pause, wait }, e =>
        {
            Assert.Equal("name", e.ParamName);
            Assert.Contains("'missing'", e.Message, StringComparison.Ordinal);
        });
    }
}
