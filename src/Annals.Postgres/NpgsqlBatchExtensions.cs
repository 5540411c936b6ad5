using Npgsql;
using NpgsqlTypes;

namespace Annals.Postgres;

/// <summary>Adds a statement with positional parameters to a batch.</summary>
internal static class NpgsqlBatchExtensions
{
    /// <remarks>Pass a single array argument cast to <see cref="object"/>: a string[] alone would be taken as the parameter list itself.</remarks>
    public static NpgsqlBatchCommand Add(this NpgsqlBatch batch, string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(value switch
            {
                string[] strings => new NpgsqlParameter { Value = strings, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                _ => new NpgsqlParameter { Value = value },
            });
        }

        batch.BatchCommands.Add(command);
        return command;
    }
}
