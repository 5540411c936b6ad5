namespace Annals.Orleans.Tests.LogConsistency;

/// <summary>A folder of its own under the temporary folder, deleted with what it holds.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "annals-orleans-" + Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere: the folder is temporary anyway.
        }
    }
}
