package ai.piopiy;

/**
 * Runs a tool the LLM asked for. Called on its own virtual thread with the call's {@link CallContext}
 * bound, so it may block (an HTTP request, a database query). It is interrupted when the caller
 * barges in or its timeout passes; return quickly then.
 */
@FunctionalInterface
public interface ToolHandler {

    /**
     * @param argumentsJson the arguments the model gave, a JSON object
     * @return the result as JSON (an object, a string, a number); the model reads it
     */
    String handle(String argumentsJson) throws Exception;
}
