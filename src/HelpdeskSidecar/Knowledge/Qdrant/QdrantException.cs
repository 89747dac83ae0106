using System.Net;
using Grpc.Core;

namespace HelpdeskSidecar.Knowledge.Qdrant;

/// <summary>
/// Qdrant answered a call with an error status (after the retries). <see cref="Exception.Message"/> carries Qdrant's
/// own status detail, never a header; <see cref="Status"/> is the gRPC code's HTTP equivalent, so callers tell a
/// caller's mistake (4xx) from an outage (5xx) as they did with the REST client.
/// </summary>
internal sealed class QdrantException(StatusCode grpcStatus, string detail, Exception? inner = null)
    : Exception($"Qdrant returned {grpcStatus}: {detail}", inner)
{
    public StatusCode GrpcStatus { get; } = grpcStatus;

    public HttpStatusCode Status { get; } = ToHttp(grpcStatus);

    /// <summary>The HTTP mapping of google.rpc codes (as in grpc-gateway): 4xx for a request Qdrant refuses, 5xx when it cannot serve.</summary>
    public static HttpStatusCode ToHttp(StatusCode status) => status switch
    {
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange => HttpStatusCode.BadRequest,
        StatusCode.Unauthenticated => HttpStatusCode.Unauthorized,
        StatusCode.PermissionDenied => HttpStatusCode.Forbidden,
        StatusCode.NotFound => HttpStatusCode.NotFound,
        StatusCode.AlreadyExists or StatusCode.Aborted => HttpStatusCode.Conflict,
        StatusCode.ResourceExhausted => HttpStatusCode.TooManyRequests,
        StatusCode.Cancelled => (HttpStatusCode)499,
        StatusCode.Unimplemented => HttpStatusCode.NotImplemented,
        StatusCode.Unavailable => HttpStatusCode.ServiceUnavailable,
        StatusCode.DeadlineExceeded => HttpStatusCode.GatewayTimeout,
        _ => HttpStatusCode.InternalServerError,
    };
}
