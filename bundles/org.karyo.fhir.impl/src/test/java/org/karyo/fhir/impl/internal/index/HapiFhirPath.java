package org.karyo.fhir.impl.internal.index;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.exceptions.PathEngineException;
import org.hl7.fhir.r5.context.SimpleWorkerContext;
import org.hl7.fhir.r5.fhirpath.ExpressionNode;
import org.hl7.fhir.r5.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r5.fhirpath.FHIRPathUtilityClasses.FunctionDetails;
import org.hl7.fhir.r5.fhirpath.IHostApplicationServices;
import org.hl7.fhir.r5.fhirpath.TypeDetails;
import org.hl7.fhir.r5.model.Base;
import org.hl7.fhir.r5.model.Resource;
import org.hl7.fhir.r5.model.ValueSet;
import org.hl7.fhir.utilities.fhirpath.FHIRPathConstantEvaluationMode;
import org.hl7.fhir.utilities.npm.NpmPackage;

/**
 * HAPI's own FHIRPath engine (org.hl7.fhir.r5), test scope only, over a worker context holding the StructureDefinitions
 * of the R5 core package ({@code hapi-fhir-validation-resources-r5}). Its host resolves a reference to an empty
 * resource of the type the reference names (the url's type segment, or {@code Reference.type}), as an index extractor
 * that reads nothing must; contained references are resolved by the engine itself.
 */
final class HapiFhirPath {
    private static final String CORE = "org/hl7/fhir/r5/packages/hl7.fhir.r5.core-5.0.0.tgz";

    final FHIRPathEngine engine;
    private final Map<String, ExpressionNode> parsed = new ConcurrentHashMap<>();

    HapiFhirPath() {
        try (InputStream in = HapiFhirPath.class.getClassLoader().getResourceAsStream(CORE)) {
            if (in == null) {
                throw new IllegalStateException(CORE + " is not on the test classpath");
            }
            NpmPackage pkg = NpmPackage.fromPackage(in);
            SimpleWorkerContext context = new SimpleWorkerContext.SimpleWorkerContextBuilder()
                    .withAllowLoadingDuplicates(true)
                    .fromNothing();
            context.loadFromPackageInt(pkg, null, Set.of("StructureDefinition"));
            engine = new FHIRPathEngine(context);
            engine.setHostServices(new Host());
            // by default HAPI raises an error for 'x as T' on several items (and so indexes nothing for the parameter);
            // the extractor filters them like ofType(T)
            engine.setDoNotEnforceAsSingletonRule(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Base> evaluate(Resource resource, Base focus, String expression) {
        ExpressionNode node = parsed.computeIfAbsent(expression, engine::parse);
        return engine.evaluate(null, resource, resource, focus, node);
    }

    private static final class Host implements IHostApplicationServices {
        @Override
        public List<Base> resolveConstant(
                FHIRPathEngine engine, Object appContext, String name, FHIRPathConstantEvaluationMode mode) {
            return List.of();
        }

        @Override
        public TypeDetails resolveConstantType(
                FHIRPathEngine engine, Object appContext, String name, FHIRPathConstantEvaluationMode mode) {
            return null;
        }

        @Override
        public boolean log(String argument, List<Base> focus) {
            return false;
        }

        @Override
        public FunctionDetails resolveFunction(FHIRPathEngine engine, String functionName) {
            return null;
        }

        @Override
        public TypeDetails checkFunction(
                FHIRPathEngine engine,
                Object appContext,
                String functionName,
                TypeDetails focus,
                List<TypeDetails> parameters)
                throws PathEngineException {
            return null;
        }

        @Override
        public List<Base> executeFunction(
                FHIRPathEngine engine,
                Object appContext,
                List<Base> focus,
                String functionName,
                List<List<Base>> parameters) {
            return List.of();
        }

        @Override
        public Base resolveReference(FHIRPathEngine engine, Object appContext, String url, Base refContext)
                throws FHIRException {
            String type = url == null ? null : Nodes.typeOfUrl(url);
            if (type == null && refContext instanceof org.hl7.fhir.r5.model.Reference ref && ref.hasType()) {
                type = ref.getType();
            }
            if (type == null) {
                return null;
            }
            try {
                return ca.uhn.fhir.context.FhirContext.forR5Cached()
                                        .getResourceDefinition(type)
                                        .newInstance()
                                instanceof Resource r
                        ? r
                        : null;
            } catch (RuntimeException e) {
                return null;
            }
        }

        @Override
        public Base findContainingResource(Object appContext, Base item) {
            return null;
        }

        @Override
        public boolean conformsToProfile(FHIRPathEngine engine, Object appContext, Base item, String url) {
            return false;
        }

        @Override
        public ValueSet resolveValueSet(FHIRPathEngine engine, Object appContext, String url) {
            return null;
        }

        @Override
        public boolean paramIsType(String name, int index) {
            return false;
        }
    }
}
