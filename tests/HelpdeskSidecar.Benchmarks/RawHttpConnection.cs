using System.Net.Sockets;
using System.Text;

namespace HelpdeskSidecar.Benchmarks;

/// <summary>
/// A bare HTTP/1.1 keep-alive connection that sends pre-built requests and reads just enough of each response
/// to know its status and where it ends. It exists so the load generator, which shares the two cores with the
/// server under test, spends as little CPU as possible (HttpClient costs several times more per request).
/// </summary>
internal sealed class RawHttpConnection : IAsyncDisposable
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] LastChunk = "0\r\n\r\n"u8.ToArray();

    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[16 * 1024];

    private RawHttpConnection(Socket socket) => _socket = socket;

    public static async Task<RawHttpConnection> OpenAsync(Uri server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server.Host, server.Port);
        return new RawHttpConnection(socket);
    }

    public static byte[] BuildPost(Uri server, string path, IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        var head = new StringBuilder()
            .Append("POST ").Append(path).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(server.Authority).Append("\r\n")
            .Append("Content-Type: application/json\r\n")
            .Append("Content-Length: ").Append(body.Length).Append("\r\n");
        foreach (var (name, value) in headers)
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        head.Append("\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. body];
    }

    /// <returns>The response's status code.</returns>
    public async Task<int> SendAsync(byte[] request)
    {
        await _socket.SendAsync(request, SocketFlags.None);
        var length = 0;
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(0, length).IndexOf(HeaderEnd)) < 0)
            length += await ReceiveAsync(length);
        var head = Encoding.ASCII.GetString(_buffer, 0, headerEnd);
        var status = int.Parse(head.AsSpan(9, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
        var bodyStart = headerEnd + HeaderEnd.Length;
        var contentLength = HeaderValue(head, "Content-Length");
        if (contentLength is not null)
        {
            var end = bodyStart + int.Parse(contentLength, System.Globalization.CultureInfo.InvariantCulture);
            while (length < end)
                length += await ReceiveAsync(length);
        }
        else if (HeaderValue(head, "Transfer-Encoding") is "chunked")
        {
            while (!_buffer.AsSpan(bodyStart, length - bodyStart).EndsWith(LastChunk))
                length += await ReceiveAsync(length);
        }
        return status;
    }

    private async Task<int> ReceiveAsync(int offset)
    {
        var read = await _socket.ReceiveAsync(_buffer.AsMemory(offset), SocketFlags.None);
        return read == 0 ? throw new IOException("The server closed the connection.") : read;
    }

    private static string? HeaderValue(string head, string name)
    {
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
                return line[(name.Length + 1)..].Trim();
        }
        return null;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
