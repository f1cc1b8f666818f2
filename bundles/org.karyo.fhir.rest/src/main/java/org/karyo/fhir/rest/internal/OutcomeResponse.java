package org.karyo.fhir.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpServletResponseWrapper;

/**
 * The answer of a request to the FHIR base paths, where every error is an OperationOutcome: an RFC 9457 problem that
 * the platform answers before the FHIR interaction runs (401 without a valid token, 403 from a gate, 429, 503 in
 * maintenance) is rewritten as an OperationOutcome with the same status and headers, its title and detail as the
 * issue's diagnostics. Any other answer passes through untouched.
 */
final class OutcomeResponse extends HttpServletResponseWrapper {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEM = "application/problem+json";

    private ByteArrayOutputStream problem;
    private ServletOutputStream stream;
    private PrintWriter writer;

    OutcomeResponse(HttpServletResponse response) {
        super(response);
    }

    @Override
    public void setContentType(String type) {
        if (type != null && type.startsWith(PROBLEM)) {
            problem = new ByteArrayOutputStream();
            super.setContentType(Fhir.FHIR_JSON + ";charset=UTF-8");
        } else {
            super.setContentType(type);
        }
    }

    @Override
    public void setHeader(String name, String value) {
        if ("Content-Type".equalsIgnoreCase(name)) {
            setContentType(value);
        } else {
            super.setHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if ("Content-Type".equalsIgnoreCase(name)) {
            setContentType(value);
        } else {
            super.addHeader(name, value);
        }
    }

    @Override
    public void setContentLength(int len) {
        if (problem == null) {
            super.setContentLength(len);
        }
    }

    @Override
    public void setContentLengthLong(long len) {
        if (problem == null) {
            super.setContentLengthLong(len);
        }
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (problem == null) {
            return super.getOutputStream();
        }
        if (stream == null) {
            stream = new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new UnsupportedOperationException("a problem's body is written at once");
                }

                @Override
                public void write(int b) {
                    problem.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    problem.write(b, off, len);
                }
            };
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (problem == null) {
            return super.getWriter();
        }
        if (writer == null) {
            writer = new PrintWriter(new OutputStreamWriter(getOutputStream(), StandardCharsets.UTF_8));
        }
        return writer;
    }

    @Override
    public void flushBuffer() throws IOException {
        if (problem == null) {
            super.flushBuffer();
        }
    }

    /** Writes the OperationOutcome of a problem the platform answered; nothing when it answered anything else. */
    void finish() throws IOException {
        if (problem == null) {
            return;
        }
        if (writer != null) {
            writer.flush();
        }
        byte[] body = JSON.writeValueAsBytes(outcome(getStatus(), problem.toByteArray()));
        problem = null;
        super.setContentLength(body.length);
        super.getOutputStream().write(body);
    }

    /** The OperationOutcome of a problem document with this status. */
    static ObjectNode outcome(int status, byte[] problemJson) {
        String title = "";
        String detail = "";
        try {
            JsonNode p = JSON.readTree(problemJson);
            title = p.path("title").asText("");
            detail = p.path("detail").asText("");
        } catch (IOException e) {
            detail = new String(problemJson, StandardCharsets.UTF_8);
        }
        ObjectNode oo = JSON.createObjectNode().put("resourceType", "OperationOutcome");
        ArrayNode issues = oo.putArray("issue");
        issues.addObject()
                .put("severity", status >= 500 ? "fatal" : "error")
                .put("code", issueType(status))
                .put("diagnostics", detail.isEmpty() || detail.equals(title) ? title : title + ": " + detail);
        return oo;
    }

    private static String issueType(int status) {
        return switch (status) {
            case 401 -> "login";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "not-supported";
            case 409 -> "conflict";
            case 413 -> "too-costly";
            case 429 -> "throttled";
            case 503 -> "transient";
            default -> status >= 500 ? "exception" : "invalid";
        };
    }
}
