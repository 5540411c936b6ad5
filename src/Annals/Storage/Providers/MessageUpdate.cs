namespace Annals.Storage.Providers;

/// <summary>The fields of a stored message a reschedule changes.</summary>
/// <param name="DueAt">When it is due next.</param>
/// <param name="FailureCount">The number of failed attempts.</param>
/// <param name="LastError">The last attempt's error, if any.</param>
/// <param name="Revision">Its new revision.</param>
public sealed record MessageUpdate(DateTimeOffset DueAt, int FailureCount, string? LastError, long Revision);
