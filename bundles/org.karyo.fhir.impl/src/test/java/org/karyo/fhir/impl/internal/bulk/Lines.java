package org.karyo.fhir.impl.internal.bulk;

/** NDJSON lines of R5 resources, as Synthea writes them (conditional references to organisations). */
final class Lines {
    static final String ORG_SYSTEM = "https://github.com/synthetichealth/synthea";

    private Lines() {}

    static String organization(String id, String name) {
        return "{\"resourceType\":\"Organization\",\"id\":\"" + id + "\",\"identifier\":[{\"system\":\"" + ORG_SYSTEM
                + "\",\"value\":\"" + id + "-ident\"}],\"active\":true,\"name\":\"" + name + "\"}";
    }

    static String patient(String id, String family, String org) {
        return "{\"resourceType\":\"Patient\",\"id\":\"" + id
                + "\",\"identifier\":[{\"system\":\"urn:test:mrn\",\"value\":\""
                + id + "\"}],\"name\":[{\"family\":\"" + family + "\",\"given\":[\"Test\"]}],\"gender\":\"female\","
                + "\"birthDate\":\"1980-05-17\""
                + (org == null
                        ? ""
                        : ",\"managingOrganization\":{\"reference\":\"Organization?identifier=" + ORG_SYSTEM + "|" + org
                                + "-ident\"}")
                + "}";
    }

    static String encounter(String id, String patient, String org) {
        return "{\"resourceType\":\"Encounter\",\"id\":\"" + id + "\",\"status\":\"completed\",\"class\":[{\"coding\":"
                + "[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"AMB\"}]}],"
                + "\"subject\":{\"reference\":\"Patient/" + patient + "\"},\"serviceProvider\":{\"reference\":"
                + "\"Organization?identifier=" + ORG_SYSTEM + "|" + org + "-ident\"},\"actualPeriod\":{\"start\":"
                + "\"2024-09-03T10:00:00+02:00\",\"end\":\"2024-09-03T11:00:00+02:00\"}}";
    }

    static String observation(String id, String patient, String encounter, String code, double value, String date) {
        return "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"final\",\"category\":[{\"coding\":"
                + "[{\"system\":\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":\"vital-signs\","
                + "\"display\":\"Vital signs\"}]}],\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\""
                + code + "\",\"display\":\"Heart rate\"}],\"text\":\"Heart rate\"},\"subject\":{\"reference\":"
                + "\"Patient/" + patient + "\"}"
                + (encounter == null ? "" : ",\"encounter\":{\"reference\":\"Encounter/" + encounter + "\"}")
                + ",\"effectiveDateTime\":\"" + date + "\",\"valueQuantity\":{\"value\":" + value
                + ",\"unit\":\"/min\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"/min\"}}";
    }
}
