using System.Text;
using Xunit;

namespace Annals.Cli.Tests;

/// <summary>A text writer one task writes to while another reads what it holds so far.</summary>
public sealed class SharedWriter : TextWriter
{
    private readonly StringBuilder _text = new();
    private readonly Lock _lock = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _awaited = [];

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_lock)
        {
            _text.Append(value);
            Wake();
        }
    }

    public override void Write(string? value)
    {
        lock (_lock)
        {
            _text.Append(value);
            Wake();
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_lock)
        {
            _text.Append(buffer, index, count);
            Wake();
        }
    }

    public override string ToString()
    {
        lock (_lock)
        {
            return _text.ToString();
        }
    }

    /// <summary>Waits until the text written so far contains <paramref name="text"/>: woken by the writes, bounded by the patience.</summary>
    public async Task WaitForAsync(string text, string what, TimeSpan? patience = null)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _awaited.Add((text, seen));
            Wake();
        }

        var timeout = patience ?? TimeSpan.FromSeconds(15);
        try
        {
            await seen.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Timed out waiting for {what} after {timeout}. Written so far: {this}");
        }
    }

    private void Wake()
    {
        for (var i = _awaited.Count - 1; i >= 0; i--)
        {
            if (_text.ToString().Contains(_awaited[i].Text, StringComparison.Ordinal))
            {
                _awaited[i].Seen.TrySetResult();
                _awaited.RemoveAt(i);
            }
        }
    }
}
