namespace Annals.Bench;

/// <summary>What a <c>decide-dcb</c> run measures: the common settings plus the courses and students.</summary>
/// <param name="Common">Store, commands in total (<see cref="BenchSettings.Events"/>), callers (<see cref="BenchSettings.Writers"/>), warm-up commands per caller, durability, database.</param>
/// <param name="Courses">Courses defined before measuring.</param>
/// <param name="Capacity">Each course's capacity.</param>
/// <param name="Students">Students the commands pick from.</param>
/// <param name="Cache">Whether decisions start from the typed store's cache of folded states (<see cref="Annals.Deciders.DecideOptions.UseCache"/>) or fold their query from the start (<c>--no-cache</c>).</param>
internal sealed record DcbSettings(BenchSettings Common, int Courses, int Capacity, int Students, bool Cache = true)
{
    public const int DefaultCallers = 64;
}
