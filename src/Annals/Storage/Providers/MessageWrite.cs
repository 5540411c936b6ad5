namespace Annals.Storage.Providers;

/// <summary>
/// The net change a group of batches makes to one queued message: a row to insert (after deleting the stored one,
/// when <see cref="ExistedBefore"/>), fields of the stored row to update, or, with neither, the stored row to delete
/// (nothing to do when it did not exist before the group: the group enqueued and removed it).
/// </summary>
/// <param name="ExistedBefore">Whether the store held the message before the group.</param>
/// <param name="Insert">The message to insert, or <see langword="null"/>.</param>
/// <param name="Update">The fields to update in the stored row, or <see langword="null"/>.</param>
public readonly record struct MessageWrite(bool ExistedBefore, MessageInsert? Insert, MessageUpdate? Update);
