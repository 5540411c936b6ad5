using Annals.Storage;

namespace Annals.Sqlite;

/// <summary>
/// The lock that makes one store object the writer of a file: <c>&lt;file&gt;.lock</c>, held open without sharing. The
/// operating system releases it when the holder closes it or its process dies, so a crash never leaves a store locked.
/// </summary>
internal static class SqliteFileLock
{
    /// <summary>Takes the lock of the store at <paramref name="path"/> (a full path), or fails at once if another holds it.</summary>
    /// <exception cref="StoreNotFoundException">The folder of the file does not exist.</exception>
    /// <exception cref="StoreLockedException">Another process or store object holds the lock.</exception>
    /// <exception cref="StoreUnavailableException">The lock file cannot be made or opened.</exception>
    public static FileStream Take(string path)
    {
        var folder = Path.GetDirectoryName(path);
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new StoreNotFoundException(path, $"Cannot make a store at '{path}': the folder '{folder}' does not exist.");
        }

        if (Directory.Exists(path))
        {
            throw new StoreUnavailableException($"Cannot open a store at '{path}': it is a folder.", null);
        }

        var lockPath = path + ".lock";
        try
        {
            // FileShare.None takes an exclusive advisory lock that the OS releases when the process dies.
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new StoreUnavailableException($"Cannot open the store '{path}' for writing: access to '{lockPath}' is denied.", e);
        }
        catch (IOException e) when (File.Exists(lockPath))
        {
            throw new StoreLockedException(path, $"The store '{path}' is already open for writing by another process or store object; open it read-only to inspect it.", e);
        }
        catch (IOException e)
        {
            throw new StoreUnavailableException($"Cannot open the store '{path}' for writing: {e.Message}", e);
        }
    }
}
