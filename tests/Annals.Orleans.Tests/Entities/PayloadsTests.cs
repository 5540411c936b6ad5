using Annals.Orleans.Entities;
using Annals.Serialization;
using Xunit;

namespace Annals.Orleans.Tests.Entities;

/// <summary>A command or state from the wire is read only as its declared type or a concrete subtype from the same assembly.</summary>
public sealed class PayloadsTests
{
    private readonly Payloads _payloads = new(new EventCodec(new TypeRegistry().Register<Tallied>()));

    [Fact]
    public void A_concrete_subtype_of_the_declared_type_round_trips()
    {
        var written = _payloads.Write(new Tally("a", 3));

        Assert.Equal(new Tally("a", 3), _payloads.Read(written, typeof(TallyCommand)));
    }

    [Theory]
    [InlineData("System.String")]
    [InlineData("Annals.Orleans.Tests.Entities.TallyState")]
    [InlineData("Annals.Orleans.Tests.Entities.TallyCommand")]
    [InlineData("No.Such.Type")]
    public void Any_other_type_name_is_refused_with_an_argument_error(string name)
    {
        var payload = new Payload(name, "{}"u8.ToArray());

        // Asked twice: a refused name is not remembered as a type.
        Assert.Throws<ArgumentException>(() => _payloads.Read(payload, typeof(TallyCommand)));
        Assert.Throws<ArgumentException>(() => _payloads.Read(payload, typeof(TallyCommand)));
    }
}
