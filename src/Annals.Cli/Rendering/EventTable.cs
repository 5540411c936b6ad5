using System.Globalization;
using Annals.Storage;
using Spectre.Console;

namespace Annals.Cli.Rendering;

/// <summary>A table of events: position, optionally stream, revision, type, timestamp, data and optionally metadata.</summary>
internal sealed class EventTable
{
    private readonly bool _showStream;
    private readonly bool _showMetadata;

    public EventTable(bool showStream, bool showMetadata = false)
    {
        _showStream = showStream;
        _showMetadata = showMetadata;
        Table = new Table().Border(TableBorder.Rounded);
        // Numbers stay whole on a narrow terminal; text columns wrap.
        Table.AddColumn(new TableColumn("Position").RightAligned().NoWrap());
        if (showStream)
        {
            Table.AddColumn("Stream");
        }

        Table.AddColumn(new TableColumn("Revision").RightAligned().NoWrap());
        Table.AddColumn("Type");
        Table.AddColumn("Time (UTC)");
        Table.AddColumn("Data");
        if (showMetadata)
        {
            Table.AddColumn("Metadata");
        }
    }

    public Table Table { get; }

    public int Count { get; private set; }

    public void Add(RecordedEvent e)
    {
        var cells = new List<string> { e.Position.ToString(CultureInfo.InvariantCulture) };
        if (_showStream)
        {
            cells.Add(e.Stream.Value);
        }

        cells.Add(e.Revision.ToString(CultureInfo.InvariantCulture));
        cells.Add(e.Type);
        cells.Add(EventText.Timestamp(e.Timestamp));
        cells.Add(e.DataAsText());
        if (_showMetadata)
        {
            cells.Add(EventText.Metadata(e.Metadata));
        }

        Table.AddRow(cells.Select(c => new Text(c)));
        Count++;
    }
}
