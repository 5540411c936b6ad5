using Annals.Projections;

namespace Annals.Hosting;

/// <summary>A projection to add to a store's projection host when it opens: its handler is resolved from the container then.</summary>
internal sealed record ProjectionRegistration(string Name, Type HandlerType, ProjectionOptions? Options);
