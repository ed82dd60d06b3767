package net.rampart.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Jetty's answers to requests that never reach a route, in the API's one error model
 * ({@link ApiError}) instead of Jetty's HTML page: a request line or headers its parser refuses
 * (414 URI too long, 431 headers too large, 400 malformed), and errors Jetty raises itself after
 * parsing (a URI it finds ambiguous, say).
 */
final class JsonErrorHandler extends ErrorHandler {

    private static final String JSON = "application/json";

    private final ObjectMapper json;

    JsonErrorHandler(ObjectMapper json) {
        this.json = json;
    }

    /** What Jetty's parser refuses: it answers with these bytes, and no handler runs. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, JSON);
        return ByteBuffer.wrap(body(status, reason));
    }

    /** Jetty writes an error body only for GET, POST and HEAD unless told otherwise; the API answers every method alike. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    /** JSON whatever the request's Accept header says, which Jetty would otherwise follow (HTML by default). */
    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
                                              HttpServletResponse response, int code, String message) throws IOException {
        byte[] body = body(code, message);
        response.setContentType(JSON);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private byte[] body(int status, String reason) {
        String detail = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
        try {
            return json.writeValueAsBytes(ApiError.forStatus(status, detail));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
