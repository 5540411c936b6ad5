using Annals.Serialization;
using Annals.Storage;
using Xunit;

namespace Annals.Tests.Serialization;

public sealed class TypeRegistryTests
{
    [Fact]
    public void Attribute_names_and_versions_are_found_in_an_assembly()
    {
        var registry = new TypeRegistry().RegisterAssembly(typeof(AccountOpened).Assembly);

        Assert.Equal(new RegisteredType("account-opened", typeof(AccountOpened), 1), registry.Get(typeof(AccountOpened)));
        Assert.True(registry.TryGet("money-deposited", out var deposited));
        Assert.Equal(2, deposited.SchemaVersion);
        Assert.False(registry.IsRegistered(typeof(NotRegistered)));
    }

    [Fact]
    public void Registering_the_same_type_under_the_same_name_twice_is_harmless()
    {
        var registry = new TypeRegistry().Register<AccountOpened>().Register<AccountOpened>("account-opened");

        Assert.Single(registry.Types);
    }

    [Fact]
    public void A_name_taken_by_another_type_is_refused()
    {
        var registry = new TypeRegistry().Register<AccountOpened>("opened");

        var error = Assert.Throws<ArgumentException>(() => registry.Register<OwnerRenamed>("opened"));

        Assert.StartsWith($"The name 'opened' is already registered for {typeof(AccountOpened).FullName}.", error.Message, StringComparison.Ordinal);
        Assert.Equal(typeof(AccountOpened), Assert.Single(registry.Types).ClrType);
    }

    [Fact]
    public void A_type_registered_under_another_name_or_version_is_refused()
    {
        var registry = new TypeRegistry().Register<AccountOpened>("opened");

        Assert.Throws<ArgumentException>(() => registry.Register<AccountOpened>("account-opened"));
        Assert.Throws<ArgumentException>(() => registry.Register<AccountOpened>("opened", schemaVersion: 2));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("dotted.name")]
    public void Malformed_names_are_refused(string name)
    {
        var error = Assert.Throws<InvalidNameException>(() => new TypeRegistry().Register<AccountOpened>(name));

        Assert.Equal(NameKind.Type, error.Kind);
    }

    [Fact]
    public void Abstract_types_and_interfaces_cannot_be_registered()
    {
        Assert.Throws<ArgumentException>(() => new TypeRegistry().Register(typeof(IDisposable), "disposable"));
        Assert.Throws<ArgumentException>(() => new TypeRegistry().Register(typeof(Stream), "stream"));
    }

    [Fact]
    public void Register_without_a_name_needs_the_attribute()
    {
        var error = Assert.Throws<ArgumentException>(() => new TypeRegistry().Register<NotRegistered>());

        Assert.Contains("has no [EventType] attribute", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Looking_up_an_unregistered_type_names_it_and_says_how_to_register_it()
    {
        var error = Assert.Throws<UnregisteredTypeException>(() => new TypeRegistry().Get(typeof(NotRegistered)));

        Assert.Equal(typeof(NotRegistered), error.ClrType);
        Assert.Equal($"The type {typeof(NotRegistered).FullName} is not registered: register it with TypeRegistry.Register<NotRegistered>(\"name\") or mark it [EventType(\"name\")] and register its assembly.", error.Message);
    }

    [Fact]
    public void A_second_upcaster_for_one_name_and_version_is_refused()
    {
        var registry = new TypeRegistry().AddUpcaster("old", 1, p => p with { SchemaVersion = 2 });

        Assert.Throws<ArgumentException>(() => registry.AddUpcaster("old", 1, p => p with { SchemaVersion = 3 }));
    }
}
